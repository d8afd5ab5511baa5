import ArgumentParser
import Foundation
import Transform

struct Keygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new 256-bit pseudonymisation key (mode 0600) and print its fingerprint.",
        discussion: "The key never appears in output; only its fingerprint does. Keep one key per region: a new key gives every child a new pseudonym."
    )

    @Option(help: "The key file to create (refused if it exists).")
    var out: String

    func run() async throws {
        let (key, hex) = PseudonymKey.generate()
        let fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = errno == EEXIST ? "it already exists (a key is never overwritten)" : String(cString: strerror(errno))
            printError("rcc: cannot create key file \(out): \(reason)")
            throw ExitCode(ExitStatus.usage)
        }
        let text = Array((hex + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, 0o600)
        close(fd)
        guard written == text.count else {
            unlink(out)
            printError("rcc: cannot write key file \(out)")
            throw ExitCode.failure
        }
        print("Wrote a new 256-bit key to \(out) (mode 0600), fingerprint \(key.fingerprint).")
        print("Keep it secret and backed up: the same key gives the same pseudonyms; a lost key cannot be recovered.")
    }
}
