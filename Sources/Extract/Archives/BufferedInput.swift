import RCCCore

/// Where an inflater takes compressed bytes from. The inflater borrows the bytes in place and then says
/// how many it used, so that it never reads past the end of a deflate stream: in a zip whose member
/// sizes come after the data, the bytes after the stream are the next header, not the member's.
protocol CompressedInput: AnyObject {
    /// The bytes ready now, refilled when none are left; empty only at the end of the input. Valid until
    /// the next call on this input.
    func available() throws -> UnsafeRawBufferPointer
    /// Marks the first `count` bytes of the last `available()` as used.
    func consume(_ count: Int)
}

/// A byte source read through one fixed buffer, with the small parsing reads an archive reader needs
/// (exact reads for headers, a look ahead for data descriptors) and a count of bytes consumed, used as
/// the position in error messages and as the compressed size in expansion-ratio checks.
final class BufferedInput: CompressedInput {
    let source: ByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// The source has returned 0 (what is still buffered may yet be read).
    private(set) var sourceEnded = false
    /// Bytes consumed so far: the offset, from the start of the source, of the next byte to be read.
    private(set) var offset: Int64 = 0

    init(_ source: ByteSource, bufferSize: Int = 1 << 16) {
        precondition(bufferSize >= 64)
        self.source = source
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func available() throws -> UnsafeRawBufferPointer {
        if start == end && !sourceEnded {
            start = 0
            end = 0
            let n = try source.read(into: buffer)
            if n == 0 { sourceEnded = true } else { end = n }
        }
        return UnsafeRawBufferPointer(rebasing: buffer[start..<end])
    }

    func consume(_ count: Int) {
        precondition(count >= 0 && count <= end - start)
        start += count
        offset += Int64(count)
    }

    /// Up to `count` of the next bytes (fewer only at the end of the source), without consuming them.
    /// `count` must be no more than the buffer holds.
    func peek(_ count: Int) throws -> [UInt8] {
        precondition(count <= buffer.count)
        if end - start < count {
            if start > 0 {
                // Move what is left to the front (the regions may overlap: copyMemory is a memmove).
                if end > start { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end - start) }
                end -= start
                start = 0
            }
            while end - start < count && !sourceEnded {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
                if n == 0 { sourceEnded = true } else { end += n }
            }
        }
        return Array(buffer[start..<min(end, start + count)])
    }

    /// The next `count` bytes, consumed; fewer only when the source ends first.
    func read(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let chunk = try available()
            if chunk.isEmpty { break }
            let n = min(chunk.count, count - bytes.count)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            consume(n)
        }
        return bytes
    }

    /// Consumes up to `count` bytes without keeping them; returns how many there were.
    func skip(_ count: Int64) throws -> Int64 {
        var skipped: Int64 = 0
        while skipped < count {
            let chunk = try available()
            if chunk.isEmpty { break }
            let n = Int(min(Int64(chunk.count), count - skipped))
            consume(n)
            skipped += Int64(n)
        }
        return skipped
    }
}

/// At most `limit` bytes of another input: a zip member whose compressed size its header gives.
final class BoundedInput: CompressedInput {
    private let inner: CompressedInput
    private(set) var remaining: Int64

    init(_ inner: CompressedInput, limit: Int64) {
        self.inner = inner
        remaining = limit
    }

    func available() throws -> UnsafeRawBufferPointer {
        guard remaining > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let chunk = try inner.available()
        return UnsafeRawBufferPointer(rebasing: chunk[0..<Int(min(Int64(chunk.count), remaining))])
    }

    func consume(_ count: Int) {
        inner.consume(count)
        remaining -= Int64(count)
    }
}

/// Little-endian fields of archive headers.
enum ArchiveField {
    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(bytes, at)) | UInt32(u16(bytes, at + 2)) << 16 }
    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 { UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32 }
}
