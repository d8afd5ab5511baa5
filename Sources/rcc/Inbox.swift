import ArgumentParser
import Extract
import Foundation
import Load
import LoadPostgres
import Logging
import Pipeline
import RCCCore
import Reports
import Transform

/// `rcc inbox`: one pass over an inbox folder, for a timer or cron to run every few minutes.
struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest every complete return waiting in an inbox folder (one pass; run it from a timer or cron).",
        discussion: """
            A return is complete when it is a folder holding a READY file, or a file not modified for the settle time. \
            Each complete one is moved to DIR/processing/, ingested as a run of its own, then moved to \
            DIR/done/YYYY-MM-DD/ (loaded, perhaps with rows quarantined) or DIR/failed/YYYY-MM-DD/ (a source or return \
            refused), with NAME.summary.json and, for a failed one, NAME.reason.txt beside it. Hidden entries are \
            ignored. A lock (DIR/.rcc-inbox.lock) keeps two passes from overlapping: a pass that finds it held does \
            nothing and exits 0. A pass with nothing to do prints nothing. Settings not given as options come from the \
            configuration file (--config FILE, else RCC_CONFIG, else ./rcc.yaml, else /etc/rcc/rcc.yaml). \
            Exit status: 0 every entry loaded cleanly, or nothing to do; \(ExitStatus.quarantined) an entry had rows \
            quarantined; \(ExitStatus.rejected) an entry failed; 64 usage or configuration error; 1 the pass failed \
            (the warehouse, or the inbox's folders).
            """
    )

    @Option(help: "The inbox folder (default: inbox in rcc.yaml).")
    var inbox: String?

    @Option(help: "The warehouse: a SQLite file path, or postgres://user@host:port/database (default: warehouse in rcc.yaml).")
    var warehouse: String?

    @Option(name: .customLong("key-file"), help: "File holding the 256-bit pseudonymisation key (or RCC_KEY, or key_file in rcc.yaml).")
    var keyFile: String?

    @Option(help: "The use-case profile, e.g. sufficiency (default: profile in rcc.yaml, else full).")
    var profile: String?

    @Option(name: .customLong("settle-seconds"), help: "A file in the inbox is taken once unmodified for this long (default: settle_seconds in rcc.yaml, else \(Int(Self.defaultSettleSeconds))).")
    var settleSeconds: Double?

    @Option(help: "The schemas folder (default: RCC_SCHEMAS, schemas in rcc.yaml, or beside the executable).")
    var schemas: String?

    @Option(name: .customLong("run-dir"), help: "The folder under which each entry's run gets its own folder RUN-ID (quarantined rows as sent, the summary). Default: run_dir in rcc.yaml, else runs/ beside a SQLite warehouse.")
    var runDir: String?

    @OptionGroup var limits: LimitOptions

    @Option(help: "The configuration file (rcc.yaml); the default is RCC_CONFIG, else ./rcc.yaml, else /etc/rcc/rcc.yaml, when it exists.")
    var config: String?

    @Flag(help: "Print only failures (to standard error), nothing else.")
    var quiet = false

    @Flag(help: "Also print what is waiting, each run's full summary, and each source as it is done.")
    var verbose = false

    @Option(name: .customLong("log-format"), help: "text (default), or json: every line as a JSON object on standard error, for a server's log collector.")
    var logFormat: LogFormat = .text

    static let defaultSettleSeconds: Double = 60

    /// Everything the pass needs, from flags, the environment and the configuration file; a missing or
    /// wrong setting is printed and ends rcc with status 64 before any work.
    struct Plan {
        var inbox: String
        var location: WarehouseLocation
        var runsFolder: String
        var settleSeconds: Double
        var settings: RCCConfig
    }

    func plan() throws -> Plan {
        let settings = try RCCConfig.forCommand(config)
        func usage(_ message: String) throws -> Never {
            printError("rcc inbox: \(message)")
            throw ExitCode(ExitStatus.usage)
        }
        guard let inbox = inbox ?? settings.inbox else {
            try usage("no inbox: give --inbox DIR or `inbox: DIR` in rcc.yaml")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: inbox, isDirectory: &isFolder), isFolder.boolValue else {
            try usage("the inbox \(inbox)\(settings.origin(self.inbox != nil)) is not a folder")
        }
        guard let warehouse = warehouse ?? settings.warehouse else {
            try usage("no warehouse: give --warehouse PATH|URL or `warehouse:` in rcc.yaml")
        }
        let location = WarehouseLocation(warehouse)
        if case .postgres(let url) = location {
            do { _ = try PostgresLocation(url: url) } catch { try usage("\(error)") }
        }
        let runsFolder: String
        if let runs = runDir ?? settings.runDir {
            runsFolder = runs
        } else {
            switch location {
            case .sqlite(let path):
                runsFolder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("runs")
            case .postgres:
                try usage("with a PostgreSQL warehouse, say where quarantined rows go: --run-dir DIR or `run_dir: DIR` in rcc.yaml")
            }
        }
        let settle = settleSeconds ?? settings.settleSeconds ?? Self.defaultSettleSeconds
        guard settle >= 0, settle.isFinite else { try usage("--settle-seconds takes a number of seconds, e.g. 60") }
        guard settings.hasKey(flag: keyFile) else { try usage("no pseudonymisation key: \(PseudonymKey.howToMakeOne)") }
        return Plan(inbox: inbox, location: location, runsFolder: runsFolder, settleSeconds: settle, settings: settings)
    }

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be given together") }
    }

    func run() async throws {
        let level: Logger.Level = verbose ? .info : (logFormat == .json ? .notice : .critical)
        let format = logFormat
        let logger = startLogging(level: level, format: format)
        /// A line for people: printed, or a JSON log record when the logs are JSON.
        func say(_ line: String, failure: Bool = false) {
            if format == .json {
                if failure { logger.error("\(line)") } else { logger.notice("\(line)") }
            } else if failure && quiet {
                printError(line)
            } else if !quiet {
                print(line)
            }
        }
        let plan = try plan()
        let settings = plan.settings
        let key: PseudonymKey
        let catalog: SchemaCatalog
        do {
            key = try settings.key(flag: keyFile)
            catalog = try SchemaCatalog.load(from: settings.schemasFolder(flag: schemas))
                .applying(profile: profile ?? settings.profile ?? Profile.defaultID)
        } catch {
            printError("rcc inbox: \(error)")
            throw ExitCode(ExitStatus.usage)
        }

        let lock: InboxLock
        do {
            guard let taken = try InboxLock.acquire(inbox: plan.inbox) else {
                let holder = InboxLock.holder(inbox: plan.inbox).map { " (\($0))" } ?? ""
                say("rcc inbox: another pass is at work on \(plan.inbox)\(holder); this one leaves it to that")
                return
            }
            lock = taken
        } catch let error as RCCError {
            printError("rcc inbox: \(error)")
            throw ExitCode(error.code == .usage ? ExitStatus.usage : 1)
        }
        defer { withExtendedLifetime(lock) {} }

        let survey: InboxSurvey
        do {
            survey = try InboxScan.survey(inbox: plan.inbox, settleSeconds: plan.settleSeconds)
        } catch {
            printError("rcc inbox: \(error)")
            throw ExitCode.failure
        }
        if verbose {
            for waiting in survey.waiting { say("rcc inbox: \(waiting.name): waiting: \(waiting.why)") }
        }
        if survey.isEmpty { return }

        do {
            var parts = ["\(survey.ready.count) ready"]
            if !survey.interrupted.isEmpty { parts.append("\(survey.interrupted.count) left in processing/ by a pass that was stopped") }
            if !survey.waiting.isEmpty { parts.append("\(survey.waiting.count) still arriving") }
            say("rcc inbox: \(plan.inbox): \(parts.joined(separator: ", ")); into \(Self.displayName(plan.location)), key \(key.fingerprint)")
        }
        let pass = InboxPass(inbox: plan.inbox, catalog: catalog, key: key,
                             limits: limits.resolved(settings),
                             runsFolder: plan.runsFolder, makeRunID: { RunID.make() }, logger: logger)
        pass.reference = settings.reference
        let names = Dictionary(uniqueKeysWithValues: (catalog.codeLists["la"]?.codes ?? []).map { ($0.code, $0.label) })
        let outcomes = try await withWarehouse(plan.location) { store in
            try await pass.process(survey, warehouse: store) { outcome in
                say("rcc inbox: " + Self.line(outcome), failure: outcome.status == .failed)
                if verbose, let summary = outcome.summary { print(SummaryText.render(summary, laNames: names) + "\n") }
            }
        }

        let failed = outcomes.filter { $0.status == .failed }.count
        let quarantined = outcomes.filter { $0.status == .quarantined }.count
        let loaded = outcomes.count - failed - quarantined
        say("rcc inbox: \(loaded) loaded, \(quarantined) loaded with rows quarantined, \(failed) failed"
            + (survey.waiting.isEmpty ? "" : "; \(survey.waiting.count) still arriving") + ".")
        if failed > 0 { throw ExitCode(ExitStatus.rejected) }
        if quarantined > 0 { throw ExitCode(ExitStatus.quarantined) }
    }

    /// One line per entry: what became of it, where it is now, and the first reason when it failed.
    static func line(_ outcome: InboxOutcome) -> String {
        let retried = outcome.retried ? " (tried again: a pass had been stopped on it)" : ""
        switch outcome.status {
        case .failed:
            // The first reason, cut short (a list of known tables can be long): the reason file has them all.
            var why = outcome.why.first ?? ""
            if why.count > 240 { why = String(why.prefix(240)) + "…" }
            let more = outcome.why.count > 1 ? " (and \(outcome.why.count - 1) more)" : ""
            return "\(outcome.name): FAILED\(retried) → \(outcome.destination): \(why)\(more); see \(outcome.reasonFile ?? outcome.destination)"
        case .loaded, .quarantined:
            guard let summary = outcome.summary else { return "\(outcome.name): → \(outcome.destination)" }
            let loaded = summary.returns.filter { $0.status == .loaded }.count
            let unchanged = summary.returns.filter { $0.status == .unchanged }.count
            let read = summary.sources.map(\.rowsRead).reduce(0, +)
            let rowsLoaded = summary.sources.map(\.rowsLoaded).reduce(0, +)
            let rowsQuarantined = summary.sources.map(\.rowsQuarantined).reduce(0, +)
            var returns = ["\(loaded) return\(loaded == 1 ? "" : "s") loaded"]
            if unchanged > 0 { returns.append("\(unchanged) unchanged") }
            var text = "\(outcome.name): \(outcome.status == .loaded ? "loaded" : "loaded with rows quarantined")\(retried) → \(outcome.destination) "
                + "(\(returns.joined(separator: ", ")); \(read) rows read, \(rowsLoaded) loaded, \(rowsQuarantined) quarantined)"
            let folders = summary.returns.compactMap(\.quarantineFolder)
            if !folders.isEmpty { text += "; quarantined rows as sent: " + folders.map { $0 + "/" }.joined(separator: " ") }
            return text
        }
    }

    static func displayName(_ location: WarehouseLocation) -> String {
        switch location {
        case .sqlite(let path): return path
        case .postgres(let url): return (try? PostgresLocation(url: url))?.description ?? "PostgreSQL"
        }
    }
}
