import ArgumentParser

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
