import Crypto
import Foundation
import RCCCore

/// Replaces identifiers by keyed pseudonyms: HMAC-SHA256 under the run's key over a namespaced,
/// normalised value, truncated to 128 bits and written as 32 hex digits.
///
/// - An LA child id is unique only within its LA, so its input is `la-child` + LA code + id.
/// - A UPN is national, so its input is `upn` + UPN: the same child has the same UPN pseudonym in every LA.
/// The keyed state is made once and copied per value, which is more than twice as fast as a one-shot call.
public struct Pseudonymiser: Sendable {
    private let keyed: HMAC<SHA256>

    public init(key: PseudonymKey) {
        keyed = HMAC<SHA256>(key: key.key)
    }

    public func pseudonym(_ value: String, namespace: RegionalColumn.Namespace, la: String) -> String {
        var mac = keyed
        let normalised = Pseudonymiser.normalised(value)
        var input = switch namespace {
        case .laChild: "la-child\u{1F}\(la)\u{1F}\(normalised)"
        case .upn: "upn\u{1F}\(normalised)"
        }
        input.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Pseudonymiser.hex(mac.finalize())
    }

    /// Trimmed and in upper case; the value itself when it already is (ASCII without lower-case letters
    /// or blanks at either end: the usual id), which saves two copies per row.
    static func normalised(_ value: String) -> String {
        let bytes = value.utf8
        if let first = bytes.first, let last = bytes.last, first != 0x20, first != 0x09, last != 0x20, last != 0x09,
           bytes.allSatisfy({ $0 < 0x80 && $0 > 0x20 && !($0 >= 0x61 && $0 <= 0x7A) }) {
            return value
        }
        return value.trimmingCharactersInSet().uppercased()
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for byte in bytes.prefix(16) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func trimmingCharactersInSet() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
