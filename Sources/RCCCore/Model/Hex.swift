/// Bytes as lower-case hex digits, two a byte: how digests, fingerprints, keys and pseudonyms are written.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` in hex, written straight into the String's memory: a pseudonym is written for every child of
    /// every row.
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = digits[Int(byte >> 4)]
                out[2 * i + 1] = digits[Int(byte & 0x0F)]
            }
            return 2 * bytes.count
        }
    }

    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Array(bytes).withUnsafeBytes { string($0) }
    }
}
