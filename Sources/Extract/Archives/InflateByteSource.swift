import CZlib
import RCCCore

/// Inflates a raw deflate stream (no gzip or zlib header: the form zip members use) as it is read, in
/// constant memory: zlib's 32 KiB window and one input buffer.
///
/// It stops at the end of the deflate stream and takes no input byte beyond it, which is what lets a zip
/// reader find the data descriptor and next header that follow a member whose size is not in its header.
/// A stream that ends before its final block is reported as truncated, naming `path`.
public final class InflateByteSource: ByteSource {
    public let path: String
    private let input: CompressedInput
    private var stream = z_stream()
    private var finished = false

    /// Inflates the raw deflate data read from `inner`, reading it through a buffer of `bufferSize`
    /// bytes. Bytes after the end of the deflate stream are left unread in that buffer.
    public convenience init(wrapping inner: ByteSource, path: String? = nil, bufferSize: Int = 1 << 16) throws {
        try self.init(input: BufferedInput(inner, bufferSize: bufferSize), path: path ?? inner.path)
    }

    /// Inflates from bytes borrowed from `input` (a zip reader's own buffer).
    init(input: CompressedInput, path: String) throws {
        self.input = input
        self.path = path
        let status = rcc_inflateInit2(&stream, -15)
        guard status == Z_OK else {
            throw RCCError(.format, "\(path): cannot start deflate decoding (zlib \(status))")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Compressed bytes taken from the input so far.
    public var compressedBytesRead: Int64 { Int64(stream.total_in) }
    /// Bytes inflated so far.
    public var bytesInflated: Int64 { Int64(stream.total_out) }
    /// Whether the end of the deflate stream has been reached.
    public var isFinished: Bool { finished }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(capacity)
        defer {
            stream.next_out = nil
            stream.avail_out = 0
        }
        while stream.avail_out > 0 {
            let chunk = try input.available()
            let inputEnded = chunk.isEmpty
            // With no input left, inflate is still called once: it may hold bits, or the rest of a match,
            // that it can write out without more input.
            stream.next_in = inputEnded ? nil
                : UnsafeMutablePointer(mutating: chunk.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = inputEnded ? 0 : UInt32(min(chunk.count, Int(UInt32.max)))
            let inBefore = stream.avail_in, outBefore = stream.avail_out
            let status = inflate(&stream, Z_NO_FLUSH)
            let used = Int(inBefore - stream.avail_in)
            input.consume(used)
            stream.next_in = nil
            stream.avail_in = 0
            let progressed = used > 0 || stream.avail_out != outBefore
            switch status {
            case Z_STREAM_END:
                finished = true
                return capacity - Int(stream.avail_out)
            case Z_OK, Z_BUF_ERROR:
                if !progressed {
                    let produced = capacity - Int(stream.avail_out)
                    if produced > 0 { return produced }
                    if inputEnded {
                        throw RCCError(.format, "\(path): truncated: the data ends inside the deflate stream "
                            + "(after \(stream.total_in) compressed bytes)")
                    }
                    throw RCCError(.format, "\(path): deflate data is corrupt (no progress after \(stream.total_in) compressed bytes)")
                }
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib \(status)"
                throw RCCError(.format, "\(path): deflate data is corrupt (\(detail), after \(stream.total_in) compressed bytes)")
            }
        }
        return capacity
    }
}
