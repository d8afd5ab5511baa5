import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The command line: parses, checks options before any work starts, calls Pipeline, prints.
@main
struct RCC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rcc",
        abstract: "Pool children's social care returns into a pseudonymised regional warehouse.",
        discussion: """
            Exit status of ingest (and of inbox, over the entries it took): 0 every row loaded; \(ExitStatus.quarantined) some rows quarantined (the rest loaded); \
            \(ExitStatus.rejected) a source or return was refused (others may have loaded); 64 usage or configuration error; \
            1 the run failed.
            """,
        subcommands: [Ingest.self, ExtractStage.self, ValidateStage.self, TransformStage.self, LoadStage.self, Inbox.self, Rules.self, Keygen.self, Report.self]
    )

    static func main() async {
        #if canImport(Glibc)
        // glibc gives each thread that allocates an arena of its own (up to 8 a core), each keeping the
        // memory freed into it: with the reading thread, the tasks' threads and the sequence rules'
        // workers, a 200,000-child CIN XML peaked at 217 MB resident for 138 MB of heap. Two arenas: 198 MB;
        // one: 181 MB, at the same speed (the threads' allocations are not what they wait on).
        // (`mallopt` is not in Swift's Glibc module: found by name. M_ARENA_MAX is -8 in malloc.h.)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            _ = mallopt(-8, 1)
        }
        #endif
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Exit codes `make` and schedulers can act on.
enum ExitStatus {
    static let quarantined: Int32 = 2
    static let rejected: Int32 = 3
    static let usage: Int32 = 64
}
