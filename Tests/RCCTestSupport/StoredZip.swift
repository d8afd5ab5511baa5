import Foundation

/// Writes a zip of stored (uncompressed) members, for end-to-end tests that need an archive whatever
/// tools the machine has. Member names are written as given, so hostile names can be tested too.
public enum StoredZip {
    public static func bytes(_ members: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, data) in members {
            let offset = UInt32(out.count), crc = crc32(data), nameBytes = Array(name.utf8)
            let common = le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21) + le32(crc)
                + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
            out += le32(0x0403_4B50) + common + nameBytes + data
            central += le32(0x0201_4B50) + le16(0x031E) + common + le16(0) + le16(0) + le16(0)
                + le32(0o100644 << 16) + le32(offset) + nameBytes
        }
        let end = le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(members.count)) + le16(UInt16(members.count))
            + le32(UInt32(central.count)) + le32(UInt32(out.count)) + le16(0)
        return out + central + end
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { le16(UInt16(v & 0xFFFF)) + le16(UInt16(v >> 16)) }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }
}
