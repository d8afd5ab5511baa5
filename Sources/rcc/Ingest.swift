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

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every stage (extract, validate, transform, load) over returns.",
        discussion: """
            INPUT is files or folders. Each source's table is recognised from its header; its LA from --la or a \
            folder named by the LA's code (inbox/352/…); its collection year from --year or a year in its file or \
            folder name (2025, 2024-25). Quarantined rows go, as sent, to a private folder beside the warehouse. \
            --reference DIR supplies data the return does not carry, for the DfE rules that need it: the LAs' earlier \
            returns (DIR/previous-year/), the ONS postcode directory (DIR/postcodes/) and Ofsted's provider list (DIR/ofsted/). \
            Settings not given as options come from the configuration file (--config FILE, else RCC_CONFIG, else \
            ./rcc.yaml, else /etc/rcc/rcc.yaml) when there is one: warehouse, key_file, profile, schemas, reference, run_dir \
            (each run gets a folder RUN-ID under it) and limits.
            """
    )

    @Option(help: "The warehouse: a SQLite file path, or postgres://user@host:port/database (password from PGPASSWORD or a pgpass file). Default: warehouse in rcc.yaml, else out/warehouse.sqlite.")
    var warehouse: String?

    @Option(help: "The configuration file (rcc.yaml) to take settings from; the default is RCC_CONFIG, else ./rcc.yaml, else /etc/rcc/rcc.yaml, when it exists.")
    var config: String?

    @Option(name: .customLong("key-file"), help: "File holding the 256-bit pseudonymisation key (or set RCC_KEY).")
    var keyFile: String?

    @OptionGroup var identity: IdentityOptions

    @Option(help: "Write a machine-readable run summary (JSON) to this file.")
    var summary: String?

    @Option(help: "The schemas folder (input specs, code lists, rules, regional schema).")
    var schemas: String?

    @Option(help: "The use-case profile (schemas/regional/profiles/NAME.yaml) selecting what is loaded, e.g. sufficiency. A warehouse keeps the profile it was made with. Default: profile in rcc.yaml, else full.")
    var profile: String?

    @Option(name: .customLong("run-dir"), help: "Folder for this run's quarantine files and summary (default: beside the warehouse, runs/RUN-ID).")
    var runDir: String?

    @Option(help: "Reference data for the DfE rules that need it: DIR/previous-year/ (the LAs' earlier returns, as sent), DIR/postcodes/ (the ONS postcode directory), DIR/ofsted/ (Ofsted's provider list). Default: reference in rcc.yaml. Rules whose data is missing are counted as not run, with the reason.")
    var reference: String?

    @OptionGroup var limits: LimitOptions

    @OptionGroup var output: OutputOptions

    @Argument(help: "Files or folders holding returns.")
    var inputs: [String]

    static let defaultWarehouse = "out/warehouse.sqlite"

    func validate() throws {
        // A configuration file that cannot be read is reported by run(), which stops before any work;
        // validate() runs even for --help, so it prints nothing of its own.
        guard let settings = try? RCCConfig.resolve(option: config) else { return }
        let warehouse = warehouse ?? settings.warehouse ?? Self.defaultWarehouse
        if case .postgres(let url) = WarehouseLocation(warehouse) {
            do { _ = try PostgresLocation(url: url) } catch { throw ValidationError("\(error)") }
        }
        if !settings.hasKey(flag: keyFile) {
            throw ValidationError("no pseudonymisation key: \(PseudonymKey.howToMakeOne)")
        }
    }

    func run() async throws {
        let logger = output.start()
        let settings = try RCCConfig.forCommand(config)
        let key: PseudonymKey
        let catalog: SchemaCatalog
        do {
            key = try settings.key(flag: keyFile)
            catalog = try SchemaCatalog.load(from: settings.schemasFolder(flag: schemas))
                .applying(profile: profile ?? settings.profile ?? Profile.defaultID)
        } catch {
            printError("rcc: \(error)")
            throw ExitCode(ExitStatus.usage)
        }

        let runID = RunID.make()
        let location = WarehouseLocation(warehouse ?? settings.warehouse ?? Self.defaultWarehouse)
        let runFolder: String
        if let runDir {
            runFolder = runDir
        } else if let runs = settings.runDir {
            runFolder = (runs as NSString).appendingPathComponent(runID)   // rcc.yaml's run_dir holds every run's folder
        } else {
            switch location {
            case .sqlite(let path):
                runFolder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("runs/\(runID)")
            case .postgres:
                runFolder = "out/runs/\(runID)"
            }
        }
        try FileManager.default.createDirectory(atPath: runFolder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let options = IngestOptions(
            inputs: inputs, la: identity.la, year: identity.year, collection: identity.collection, runFolder: runFolder,
            limits: limits.resolved(settings),
            observer: output.observer(logger), reference: reference ?? settings.reference)
        let result = try await withWarehouse(location) { store in
            try await IngestRun(options: options, catalog: catalog, key: key, warehouse: store, runID: runID, logger: logger).run()
        }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(result)
        _ = FileManager.default.createFile(atPath: (runFolder as NSString).appendingPathComponent("summary.json"), contents: json)
        if let summary {
            guard FileManager.default.createFile(atPath: summary, contents: json) else {
                printError("rcc: cannot write the summary to \(summary)")
                throw ExitCode.failure
            }
        }
        let names = Dictionary(uniqueKeysWithValues: (catalog.codeLists["la"]?.codes ?? []).map { ($0.code, $0.label) })
        print(SummaryText.render(result, laNames: names))

        if result.anyRejected { throw ExitCode(ExitStatus.rejected) }
        if result.anyQuarantined { throw ExitCode(ExitStatus.quarantined) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Run ids sort by time and are unique enough for one machine: `20261124T053800Z-1a2b`.
enum RunID {
    static func make() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date()) + "-" + String(UInt16.random(in: .min ... .max), radix: 16)
    }
}

/// Finds `schemas/`: the option, then RCC_SCHEMAS, then ./schemas, then beside or above the executable.
enum SchemaLocator {
    static func locate(_ option: String?) -> String {
        if let option { return option }
        if let env = ProcessInfo.processInfo.environment["RCC_SCHEMAS"] { return env }
        let fm = FileManager.default
        if fm.fileExists(atPath: "schemas/inputs") { return "schemas" }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("schemas")
            if fm.fileExists(atPath: candidate.appendingPathComponent("inputs").path) { return candidate.path }
            let shared = folder.appendingPathComponent("share/rcc/schemas")
            if fm.fileExists(atPath: shared.appendingPathComponent("inputs").path) { return shared.path }
            folder.deleteLastPathComponent()
        }
        return "schemas"
    }
}
