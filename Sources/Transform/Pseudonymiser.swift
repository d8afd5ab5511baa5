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
    private let keyed: KeyedSHA256

    public init(key: PseudonymKey) {
        keyed = key.key.withUnsafeBytes { KeyedSHA256(key: $0) }
    }

    public func pseudonym(_ value: String, namespace: RegionalColumn.Namespace, la: String) -> String {
        var mac = keyed
        var normalised = Pseudonymiser.normalised(value), la = la
        // The input (`la-child` US la US id, or `upn` US upn) written into memory on the stack and hashed
        // in one update, not made as a String first: this runs for every child of every return.
        let prefix = namespace == .laChild ? Pseudonymiser.laChildPrefix : Pseudonymiser.upnPrefix
        la.withUTF8 { la in
            normalised.withUTF8 { id in
                let count = prefix.count + (namespace == .laChild ? la.count + 1 : 0) + id.count
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { input in
                    var at = input.initialize(fromContentsOf: prefix)
                    if namespace == .laChild {
                        at = input[at...].initialize(fromContentsOf: la)
                        input.initializeElement(at: at, to: 0x1F)
                        at += 1
                    }
                    _ = input[at...].initialize(fromContentsOf: id)
                    mac.update(UnsafeRawBufferPointer(input))
                }
            }
        }
        // The first 16 bytes (128 bits) of the code.
        return mac.finalize().withUnsafeBytes { Hex.string(UnsafeRawBufferPointer(rebasing: $0.prefix(16))) }
    }

    private static let laChildPrefix = Array("la-child\u{1F}".utf8), upnPrefix = Array("upn\u{1F}".utf8)

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
}

extension String {
    func trimmingCharactersInSet() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
