import Crypto
import Foundation
import RCCCore

/// The 256-bit key under which identifiers are pseudonymised. It is read from a file (refused if
/// group- or world-readable) or an environment variable, never from the command line, and only its
/// fingerprint is ever shown.
public struct PseudonymKey: Sendable {
    let key: SymmetricKey
    /// `sha256:` and the first 16 hex digits of SHA-256 over a label and the key: safe to print.
    public let fingerprint: String

    public static let environmentVariable = "RCC_KEY"
    public static let howToMakeOne = "make one with `rcc keygen --out FILE` and pass it with --key-file FILE (or set RCC_KEY to its contents)"

    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw RCCError(.key, "a pseudonymisation key must be 256 bits (64 hex digits); \(PseudonymKey.howToMakeOne)")
        }
        key = SymmetricKey(data: bytes)
        var hasher = SHA256()
        hasher.update(data: Array("rcc-key-fingerprint-v1".utf8))
        hasher.update(data: bytes)
        fingerprint = "sha256:" + Hex.string(hasher.finalize().prefix(8))
    }

    /// A new random key.
    public static func generate() -> (key: PseudonymKey, hex: String) {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return (try! PseudonymKey(bytes: bytes), Hex.string(bytes))
    }

    /// Reads a key file of 64 hex digits (as `rcc keygen` writes), refusing one others can read.
    public static func load(file path: String) throws -> PseudonymKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw RCCError(.key, "key file \(path) cannot be read; \(howToMakeOne)")
        }
        if info.st_mode & 0o077 != 0 {
            throw RCCError(.key, "key file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod 600 \(path)`")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RCCError(.key, "key file \(path) cannot be read; \(howToMakeOne)")
        }
        return try fromHex(String(decoding: data, as: UTF8.self), origin: "key file \(path)")
    }

    /// Reads the key from `RCC_KEY`, if set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PseudonymKey? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return try fromHex(text, origin: "\(environmentVariable)")
    }

    static func fromHex(_ text: String, origin: String) throws -> PseudonymKey {
        let hex = text.filter { !$0.isWhitespace }
        guard hex.count == 64 else {
            throw RCCError(.key, "\(origin) does not hold a 256-bit key (64 hex digits); \(howToMakeOne)")
        }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else {
                throw RCCError(.key, "\(origin) holds characters that are not hex digits; \(howToMakeOne)")
            }
            bytes.append(byte)
            index = next
        }
        return try PseudonymKey(bytes: bytes)
    }
}
