import Crypto
#if canImport(Glibc)
import Glibc
#endif

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
        var inner = SHA256(), outer = SHA256()
        // The key's block is made in scratch memory, wiped once the pads are hashed: no copy of the key
        // stays behind in freed memory.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { block in
            block.initialize(repeating: 0)
            // A key longer than the block is hashed first; a shorter one is padded with zeros to the block.
            if key.count > block.count {
                SHA256.hash(data: key).withUnsafeBytes { for (i, byte) in $0.enumerated() { block[i] = byte } }
            } else {
                for (i, byte) in key.enumerated() { block[i] = byte }
            }
            for i in block.indices { block[i] ^= 0x36 }
            inner.update(bufferPointer: UnsafeRawBufferPointer(block))
            for i in block.indices { block[i] ^= 0x36 ^ 0x5C }
            outer.update(bufferPointer: UnsafeRawBufferPointer(block))
            #if canImport(Glibc)
            explicit_bzero(block.baseAddress!, block.count)   // a wipe the compiler may not drop
            #else
            block.update(repeating: 0)
            #endif
        }
        self.inner = inner
        self.outer = outer
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: bytes)
    }

    /// The code over what was given so far (this value is left as it was).
    func finalize() -> SHA256Digest {
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}
