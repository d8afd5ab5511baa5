#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RCCCore
import Synchronization

/// Bytes read so far from a file, readable from another thread (for a progress display).
public final class ByteCounter: Sendable {
    private let count = Atomic<Int>(0)
    public init() {}
    public var bytes: Int { count.load(ordering: .relaxed) }
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
}

/// A file read with plain `read(2)` calls; never written to.
public final class FileByteSource: ByteSource {
    public let path: String
    private var fd: Int32
    private let counter: ByteCounter?

    public init(path: String, counter: ByteCounter? = nil) throws {
        self.path = path
        self.counter = counter
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RCCError(.io, "\(path): cannot open (\(String(cString: strerror(errno))))")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                counter?.add(n)
                return n
            }
            if errno == EINTR { continue }
            throw RCCError(.io, "\(path): read failed (\(String(cString: strerror(errno))))")
        }
    }
}
