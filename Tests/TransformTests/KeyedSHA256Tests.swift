import Crypto
import RCCTestSupport
import Testing
@testable import Transform

/// `KeyedSHA256` is HMAC-SHA256: the codes of RFC 4231 and, for keys and messages of many lengths given
/// in pieces, those of swift-crypto's `HMAC<SHA256>`.
@Suite struct KeyedSHA256Tests {
    static func code(key: [UInt8], _ pieces: [[UInt8]]) -> [UInt8] {
        var mac = key.withUnsafeBytes { KeyedSHA256(key: $0) }
        for piece in pieces { piece.withUnsafeBytes { mac.update($0) } }
        return Array(mac.finalize())
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { UInt8(String(UnicodeScalar($0)), radix: 16)! }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// RFC 4231 test cases 1, 2 and 6 (a 131-byte key: longer than the block, so hashed first).
    @Test(arguments: [
        ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func rfc4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(Self.code(key: key, [message]) == Self.bytes(hex: expected))
    }

    @Test func theCodesOfSwiftCryptosHMAC() {
        var rng = SeededGenerator(seed: 4231)
        for keyLength in [0, 1, 16, 32, 63, 64, 65, 100, 200] {
            let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for messageLength in [0, 1, 20, 55, 56, 64, 65, 300] {
                let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
                let cut = Int.random(in: 0...messageLength, using: &rng)
                #expect(Self.code(key: key, [message]) == expected, "key \(keyLength) bytes, message \(messageLength)")
                #expect(Self.code(key: key, [Array(message[..<cut]), Array(message[cut...])]) == expected,
                        "key \(keyLength) bytes, message \(messageLength) in two pieces")
            }
        }
    }

    /// Each code starts again from the key: a copy made before updating is not changed by them.
    @Test func aCopyIsItsOwn() {
        let start = [UInt8](repeating: 7, count: 32).withUnsafeBytes { KeyedSHA256(key: $0) }
        var a = start, b = start
        [UInt8(1)].withUnsafeBytes { a.update($0) }
        [UInt8(2)].withUnsafeBytes { b.update($0) }
        #expect(Array(a.finalize()) != Array(b.finalize()))
        #expect(Array(start.finalize()) == Self.code(key: [UInt8](repeating: 7, count: 32), []))
    }
}
