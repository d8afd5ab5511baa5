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

/// What every stage command takes: the work folder, the schemas, how much to log.
struct StageOptions: ParsableArguments {
    @Option(help: "The work folder the stages hand their output through (raw values in it are kept private, mode 0700).")
    var work: String = "out/work"

    @Option(help: "The schemas folder (input specs, code lists, rules, regional schema).")
    var schemas: String?

    @OptionGroup var output: OutputOptions

    func start() -> Logger { output.start() }

    func catalog(profile: String = Profile.defaultID) throws -> SchemaCatalog {
        do {
            return try SchemaCatalog.load(from: SchemaLocator.locate(schemas)).applying(profile: profile)
        } catch {
            printError("rcc: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// Runs a stage, turning what it could not start on (no earlier stage, another profile) into
    /// exit status 64 and any other failure into 1.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as RCCError where error.code == .usage {
            printError("rcc: \(error)")
            throw ExitCode(ExitStatus.usage)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("rcc: \(error)")
            throw ExitCode.failure
        }
    }

    /// One line per return: how far it got in this stage.
    func report(_ stage: String, _ summary: RunSummary) {
        for r in summary.returns {
            let rows = summary.sources.filter { $0.la == r.la && $0.collection == r.collection && $0.year == r.year }
            let read = rows.reduce(0) { $0 + $1.rowsRead }, quarantined = rows.reduce(0) { $0 + $1.rowsQuarantined }
            let what: String
            if r.status == .rejected {
                what = r.reason ?? "not loaded"
            } else {
                switch stage {
                case "extract": what = "extracted"
                case "validate": what = "\(read) rows checked, \(quarantined) quarantined"
                default: what = "\(rows.reduce(0) { $0 + $1.rowsLoaded }) rows made for the regional tables"
                }
            }
            print("\(r.la) \(r.collection) \(r.year): \(what)")
        }
        if summary.returns.isEmpty { print("no returns found") }
    }
}

struct ExtractStage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Stage 1 of 4: read returns into the work folder (`make extract`).",
        discussion: "Starts a new staged run: the work folder's earlier stages are cleared. Exit status 3 when a source or return was refused.")

    @OptionGroup var stage: StageOptions

    @OptionGroup var identity: IdentityOptions

    @OptionGroup var limits: LimitOptions

    @Option(help: "Reference data for the DfE rules that need it (DIR/previous-year/, DIR/postcodes/, DIR/ofsted/, as for ingest): validate and transform read it.")
    var reference: String?

    @Argument(help: "Files or folders holding returns.")
    var inputs: [String]

    func run() async throws {
        let logger = stage.start()
        let catalog = try stage.catalog()
        let limits = self.limits.resolved(nil)
        let options = IngestOptions(inputs: inputs, la: identity.la, year: identity.year, collection: identity.collection, runFolder: stage.work, limits: limits,
                                    observer: stage.output.observer(logger), reference: reference.map { URL(fileURLWithPath: $0).path })
        let summary = try await stage.run {
            try await StagedRun(work: stage.work, catalog: catalog, limits: limits, logger: logger).extract(options, runID: RunID.make())
        }
        stage.report("extract", summary)
        for source in summary.sources where source.rejected != nil { print("  refused: \(source.path): \(source.rejected!)") }
        if summary.anyRejected { throw ExitCode(ExitStatus.rejected) }
    }
}

struct ValidateStage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Stage 2 of 4: check the extracted records (`make validate`).",
        discussion: "Quarantined rows go, as sent, to WORK/quarantine/. Exit status 2 when rows were quarantined.")

    @OptionGroup var stage: StageOptions

    func run() async throws {
        let logger = stage.start()
        let catalog = try stage.catalog()
        let summary = try await stage.run { try await StagedRun(work: stage.work, catalog: catalog, logger: logger).validate() }
        stage.report("validate", summary)
        if summary.anyRejected { throw ExitCode(ExitStatus.rejected) }
        if summary.anyQuarantined { throw ExitCode(ExitStatus.quarantined) }
    }
}

struct TransformStage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Stage 3 of 4: map checked rows to the regional schema, pseudonymised (`make transform`).",
        discussion: "Removes the work folder's raw extract and validate output of each return it transforms.")

    @OptionGroup var stage: StageOptions

    @Option(name: .customLong("key-file"), help: "File holding the 256-bit pseudonymisation key (or set RCC_KEY).")
    var keyFile: String?

    @Option(help: "The use-case profile selecting what is made (schemas/regional/profiles/NAME.yaml).")
    var profile: String = Profile.defaultID

    func validate() throws {
        if keyFile == nil && ProcessInfo.processInfo.environment[PseudonymKey.environmentVariable] == nil {
            throw ValidationError("no pseudonymisation key: \(PseudonymKey.howToMakeOne)")
        }
    }

    func run() async throws {
        let logger = stage.start()
        let catalog = try stage.catalog(profile: profile)
        let key: PseudonymKey
        do {
            if let keyFile { key = try PseudonymKey.load(file: keyFile) } else { key = try PseudonymKey.fromEnvironment()! }
        } catch {
            printError("rcc: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let summary = try await stage.run { try await StagedRun(work: stage.work, catalog: catalog, logger: logger).transform(key: key) }
        stage.report("transform", summary)
        if summary.anyRejected { throw ExitCode(ExitStatus.rejected) }
    }
}

struct LoadStage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Stage 4 of 4: load the transformed returns into the warehouse (`make load`).",
        discussion: "Each return in one transaction; prints the run's summary as rcc ingest does, with the same exit status.")

    @OptionGroup var stage: StageOptions

    @Option(help: "The warehouse: a SQLite file path, or postgres://user@host:port/database (password from PGPASSWORD or a pgpass file).")
    var warehouse: String = "out/warehouse.sqlite"

    @Option(help: "The use-case profile the rows were made under (as given to transform).")
    var profile: String = Profile.defaultID

    @Option(help: "Write a machine-readable run summary (JSON) to this file.")
    var summary: String?

    func validate() throws {
        if case .postgres(let url) = WarehouseLocation(warehouse) {
            do { _ = try PostgresLocation(url: url) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        let logger = stage.start()
        let catalog = try stage.catalog(profile: profile)
        let result = try await withWarehouse(WarehouseLocation(warehouse)) { store in
            try await StagedRun(work: stage.work, catalog: catalog, logger: logger).load(into: store)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(result)
        _ = FileManager.default.createFile(atPath: (stage.work as NSString).appendingPathComponent("summary.json"), contents: json)
        if let summary, !FileManager.default.createFile(atPath: summary, contents: json) {
            printError("rcc: cannot write the summary to \(summary)")
            throw ExitCode.failure
        }
        let names = Dictionary(uniqueKeysWithValues: (catalog.codeLists["la"]?.codes ?? []).map { ($0.code, $0.label) })
        print(SummaryText.render(result, laNames: names))
        if result.anyRejected { throw ExitCode(ExitStatus.rejected) }
        if result.anyQuarantined { throw ExitCode(ExitStatus.quarantined) }
    }
}
