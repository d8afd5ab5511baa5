import CZlib
import RCCCore

/// Inflates a gzip (or zlib) stream from another source as it is read, in constant memory.
/// Concatenated gzip members (as `cat a.gz b.gz` makes) are read as one stream.
public final class GzipByteSource: ByteSource {
    public let path: String
    private let inner: ByteSource
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var finished = false
    private var inputEnded = false

    public init(wrapping inner: ByteSource, path: String? = nil, bufferSize: Int = 1 << 16) throws {
        self.inner = inner
        self.path = path ?? inner.path
        input = .allocate(byteCount: bufferSize, alignment: 1)
        let status = rcc_inflateInit2(&stream, 15 + 32)
        guard status == Z_OK else {
            input.deallocate()
            throw RCCError(.format, "\(self.path): cannot start gzip decoding (zlib \(status))")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnded {
                let n = try inner.read(into: input)
                if n == 0 { inputEnded = true } else {
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = UInt32(n)
                }
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END:
                // Another gzip member may follow; if nothing does, the stream is done.
                if stream.avail_in == 0 {
                    let n = try inner.read(into: input)
                    if n == 0 { finished = true; return buffer.count - Int(stream.avail_out) }
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = UInt32(n)
                }
                inflateReset(&stream)
            case Z_OK:
                break
            case Z_BUF_ERROR where inputEnded:
                throw RCCError(.format, "\(path): gzip stream is truncated")
            case Z_BUF_ERROR:
                break
            default:
                throw RCCError(.format, "\(path): gzip data is corrupt (zlib \(status))")
            }
            if inputEnded && stream.avail_in == 0 && status != Z_STREAM_END && stream.avail_out > 0 {
                let produced = buffer.count - Int(stream.avail_out)
                if produced > 0 { return produced }
                throw RCCError(.format, "\(path): gzip stream is truncated")
            }
        }
        return buffer.count
    }
}
