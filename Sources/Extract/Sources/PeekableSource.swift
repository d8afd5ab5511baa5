/// Wraps a source so its first bytes can be inspected (to sniff a format) and then read again.
public final class PeekableSource: ByteSource {
    private let inner: ByteSource
    private var prefix: [UInt8] = []
    private var prefixOffset = 0
    private var innerEnded = false

    public var path: String { inner.path }

    public init(_ inner: ByteSource) { self.inner = inner }

    /// Up to `count` of the bytes not yet read (fewer if the stream is shorter), without consuming them.
    public func peek(_ count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 1 << 14)
        while prefix.count - prefixOffset < count && !innerEnded {
            let n = try chunk.withUnsafeMutableBytes { try inner.read(into: $0) }
            if n == 0 { innerEnded = true } else { prefix.append(contentsOf: chunk[0..<n]) }
        }
        return Array(prefix[prefixOffset..<min(prefix.count, prefixOffset + count)])
    }

    /// Drops `count` bytes from the front of what is still unread (a byte-order mark, say).
    public func skip(_ count: Int) throws {
        _ = try peek(count)
        prefixOffset = min(prefix.count, prefixOffset + count)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if prefixOffset < prefix.count {
            let n = min(buffer.count, prefix.count - prefixOffset)
            prefix.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + prefixOffset, byteCount: n)
            }
            prefixOffset += n
            if prefixOffset == prefix.count { prefix = []; prefixOffset = 0 }
            return n
        }
        if innerEnded { return 0 }
        return try inner.read(into: buffer)
    }
}
