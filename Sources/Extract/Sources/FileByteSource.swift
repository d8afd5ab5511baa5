#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RCCCore

/// A file read with plain `read(2)` calls; never written to.
public final class FileByteSource: ByteSource {
    public let path: String
    private var fd: Int32

    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RCCError(.io, "\(path): cannot open (\(String(cString: strerror(errno))))")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw RCCError(.io, "\(path): read failed (\(String(cString: strerror(errno))))")
        }
    }
}
