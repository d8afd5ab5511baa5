import Foundation
import RCCCore

/// The lock one pass over an inbox holds from start to end: `INBOX/.rcc-inbox.lock`, locked with
/// flock(2). The kernel lets it go when the process ends however it ends (even killed), so a stale
/// lock never blocks the next pass; the file itself stays (removing it would race with a pass opening it).
/// While held, the file says which process holds it and since when.
public final class InboxLock: Sendable {
    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Takes the inbox's lock without waiting; nil when another pass holds it.
    public static func acquire(inbox: String) throws -> InboxLock? {
        let path = (inbox as NSString).appendingPathComponent(InboxLayout.lockFile)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw RCCError(.usage, "cannot open the inbox's lock file \(path): \(String(cString: strerror(errno))) "
                + "(rcc inbox needs to write in the inbox)")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            close(fd)
            if error == EWOULDBLOCK { return nil }
            throw RCCError(.io, "cannot lock \(path): \(String(cString: strerror(error)))")
        }
        let note = Array("pid \(getpid()) since \(ISO8601DateFormatter().string(from: Date()))\n".utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return InboxLock(descriptor: fd, path: path)
    }

    /// Who holds the lock now, as its file says (`pid 123 since …`), when it can be read.
    public static func holder(inbox: String) -> String? {
        let path = (inbox as NSString).appendingPathComponent(InboxLayout.lockFile)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.hasPrefix("pid ") && text.count < 80 ? text : nil
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)   // releases the flock
    }
}
