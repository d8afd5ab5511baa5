import ArgumentParser
import CMimalloc
import Foundation
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
        // rcc's allocator is mimalloc, linked in (CMimalloc), not glibc's malloc. With the reading thread,
        // the tasks' threads and the sequence rules' workers all allocating, glibc either gave each thread
        // an arena that kept what it freed (a 200,000-child CIN XML peaked at 217 MB resident for 138 MB of
        // heap) or, held to one arena, made them queue on its lock. mimalloc keeps a heap a thread without a
        // lock; told to give freed pages back to the system at once rather than after a delay, its peak
        // stays where glibc's one arena was.
        // (A MIMALLOC_… setting in the environment still wins, for whoever tunes it.)
        let environment = ProcessInfo.processInfo.environment
        for (option, name) in [(mi_option_decommit_delay, "DECOMMIT_DELAY"), (mi_option_segment_decommit_delay, "SEGMENT_DECOMMIT_DELAY")]
        where environment["MIMALLOC_" + name] == nil {
            mi_option_set(option, 0)
        }
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
