import Crypto

/// HMAC-SHA256 (RFC 2104) over swift-crypto's `SHA256`: the same codes as `HMAC<SHA256>`, which
/// `KeyedSHA256Tests` checks for keys shorter than, as long as and longer than SHA-256's 64-byte block.
///
/// Why not `HMAC<SHA256>` itself: it is generic over its hash function and not specialised outside
/// swift-crypto, so each code went through generic look-ups (`swift_getGenericMetadata`, associated type
/// witnesses) and the `DataProtocol` path, which cost several times SHA-256's own rounds. A pseudonym is
/// made for every child id and UPN of every row: 4.6% of the CSV ingest's samples, 2.6% this way (item 38
/// of the README's performance section). This is the construction `HMAC` runs (a hasher fed the key's
/// inner pad, one fed its outer pad, each copied per code), with the concrete `SHA256` type.
struct KeyedSHA256: Sendable {
    private var inner: SHA256
    private let outer: SHA256

    init(key: UnsafeRawBufferPointer) {
        // A key longer than the block is hashed first; a shorter one is padded with zeros to the block.
        var block = [UInt8](repeating: 0, count: 64)
        if key.count > block.count {
            SHA256.hash(data: key).withUnsafeBytes { block.replaceSubrange(0..<$0.count, with: $0) }
        } else {
            block.replaceSubrange(0..<key.count, with: key)
        }
        var inner = SHA256(), outer = SHA256()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        block.map { $0 ^ 0x5C }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: bytes)
    }

    /// The code over what was given; this value may not be updated after.
    func finalize() -> SHA256Digest {
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}
