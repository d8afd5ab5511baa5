import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that spill stores (`SpillRuns`, `RowsByChild`) write once and read back: made 0600 in the run's
/// private folder and unlinked as soon as it is open, so nothing of it outlives the process, even a killed
/// one. Written through a buffer, appended only; read back with `pread`.
final class SpillFile {
    let fd: Int32
    /// Bytes written so far (flushed or not).
    private(set) var size = 0
    private var buffer: [UInt8] = []
    private var flushed = 0
    /// Set when a write failed (a full disk): the file must not be read.
    private(set) var failed = false

    /// Nil when the file cannot be made.
    init?(folder: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent("spill-\(UUID().uuidString)")
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        unlink(path)
        buffer.reserveCapacity(1 << 16)
    }

    deinit { close(fd) }

    func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        size += bytes.count
        if buffer.count >= 1 << 16 { flush() }
    }

    func append(varint value: Int) {
        var value = UInt64(value)
        while value >= 0x80 {
            buffer.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
            size += 1
        }
        buffer.append(UInt8(value))
        size += 1
    }

    /// Writes what is buffered; false when a write failed.
    @discardableResult
    func flush() -> Bool {
        guard !failed else { return false }
        let ok = buffer.withUnsafeBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(flushed + done))
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
        failed = !ok
        return ok
    }

    /// Reads `count` bytes at `offset` into `bytes`, reusing its storage. A file this process wrote and holds
    /// open cannot fail to read back, short of a failing disk, and a record missed would be a wrong answer,
    /// so that stops the run.
    func read(into bytes: inout [UInt8], at offset: Int, count: Int) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBytes { buffer in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                guard n > 0 else { fatalError("rcc: a spill file of the run's private folder could not be read back (errno \(errno))") }
                done += n
            }
        }
    }

    /// `count` bytes at `offset`.
    func read(at offset: Int, count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        read(into: &bytes, at: offset, count: count)
        return bytes
    }
}

/// Variable-length unsigned integers (7 bits a byte, low first), as spill files write lengths.
enum Varint {
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        var value = UInt64(value)
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The integer at `at`, and where the bytes after it start; nil when `bytes` ends inside it.
    static func read(_ bytes: UnsafeRawBufferPointer, at: Int) -> (value: Int, next: Int)? {
        var i = at, value = 0, shift = 0
        while i < bytes.count {
            let byte = bytes[i]
            value |= Int(byte & 0x7F) << shift
            i += 1
            if byte < 0x80 { return (value, i) }
            shift += 7
        }
        return nil
    }

    static func read(_ bytes: [UInt8], at: Int) -> (value: Int, next: Int)? {
        bytes.withUnsafeBytes { read($0, at: at) }
    }
}

/// Reads a spill file from its start in large reads, handing out whole records: for merging runs.
struct SpillScanner {
    let file: SpillFile
    private var offset = 0
    private(set) var buffer: [UInt8] = []
    /// Where the next record starts in `buffer`.
    private(set) var at = 0

    init(_ file: SpillFile) { self.file = file }

    var atEnd: Bool { at >= buffer.count && offset >= file.size }

    /// Makes sure the next record is whole in `buffer` from `at`, `length` telling how long the record at a
    /// place is (nil when the buffer ends inside it); false at the end of the file.
    mutating func fill(_ length: ([UInt8], Int) -> Int?) -> Bool {
        if atEnd { return false }
        while length(buffer, at).map({ at + $0 > buffer.count }) ?? true {
            guard offset < file.size else { return at < buffer.count }
            buffer.removeFirst(at)
            at = 0
            let count = min(max(1 << 18, buffer.count), file.size - offset)
            buffer += file.read(at: offset, count: count)
            offset += count
        }
        return true
    }

    mutating func advance(to next: Int) { at = next }
}
