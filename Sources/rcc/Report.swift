import ArgumentParser
import Foundation
import Load
import LoadPostgres
import RCCCore
import Reports
import Transform

/// `rcc report …`: reports on the warehouse for people who sign things off.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report on the warehouse.",
        subcommands: [DPO.self, Validation.self]
    )

    /// Checks a `--warehouse` before any work: a PostgreSQL URL must parse, and a SQLite file must
    /// exist (reading must not create an empty warehouse).
    static func validate(warehouse: String) throws {
        switch WarehouseLocation(warehouse) {
        case .postgres(let url):
            do { _ = try PostgresLocation(url: url) } catch { throw ValidationError("\(error)") }
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no warehouse at \(path) (run rcc ingest first, or give --warehouse)")
            }
        }
    }

    struct DPO: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dpo",
            abstract: "Write the pseudonymisation audit a data protection officer signs off (HTML and JSON).",
            discussion: """
                Writes DIR/dpo-report.html (self-contained: no scripts, nothing fetched) and DIR/dpo-report.json: the key \
                fingerprints and schema versions of the current loads, every regional column with its treatment, rows per LA \
                and table, k-anonymity per table over its quasi-identifiers (LA, birth month, sex, ethnicity, home postcode \
                sector), and a scan of every text value for UPNs, full postcodes and dates of birth. The report holds counts, \
                names and fingerprints only, never a value. Exit status: 0 the scan found nothing; \(ExitStatus.quarantined) it \
                found identifier shapes; 64 usage or configuration error; 1 the report failed.
                """
        )

        @Option(help: "The warehouse: a SQLite file path, or postgres://user@host:port/database (password from PGPASSWORD or a pgpass file).")
        var warehouse: String = "out/warehouse.sqlite"

        @Option(help: "The schemas folder whose regional schema gives the treatments.")
        var schemas: String?

        @Option(help: "Records in groups smaller than this are counted as at risk of re-identification.")
        var k: Int = 5

        @Option(name: .customLong("key-file"), help: "The key the loads used (or set RCC_KEY): lets the scan look for raw LA child ids. Without it that check is reported as not run.")
        var keyFile: String?

        @Option(help: "Folder to write dpo-report.html and dpo-report.json into.")
        var out: String = "out/reports"

        func validate() throws {
            guard k >= 1 else { throw ValidationError("--k takes a group size of at least 1, e.g. 5") }
            try Report.validate(warehouse: warehouse)
        }

        func run() async throws {
            let catalog: SchemaCatalog
            var key: PseudonymKey?
            do {
                catalog = try SchemaCatalog.load(from: SchemaLocator.locate(schemas))
                if let keyFile { key = try PseudonymKey.load(file: keyFile) } else { key = try PseudonymKey.fromEnvironment() }
            } catch {
                printError("rcc: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            let report = try await withWarehouse(WarehouseLocation(warehouse)) { store in
                // Treatments are those of the profile the warehouse was made with.
                let profile = try await store.profile() ?? Profile.defaultID
                return try await DPOReport.compute(warehouse: store, catalog: try catalog.applying(profile: profile), k: k,
                                                   pseudonymiser: key.map(Pseudonymiser.init), keyFingerprint: key?.fingerprint)
            }

            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let htmlPath = (out as NSString).appendingPathComponent("dpo-report.html")
            let jsonPath = (out as NSString).appendingPathComponent("dpo-report.json")
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try Data(DPOReportHTML.render(report).utf8).write(to: URL(fileURLWithPath: htmlPath))
                try encoder.encode(report).write(to: URL(fileURLWithPath: jsonPath))
            } catch {
                printError("rcc: cannot write the report into \(out): \(error)")
                throw ExitCode.failure
            }
            let scan = report.scan
            print("Wrote \(htmlPath) and \(jsonPath).")
            print("\(report.currentLoads) current loads under \(report.keyFingerprints.count) key(s); \(report.totalRows) rows; "
                  + "\(report.risks.reduce(0) { $0 + $1.recordsInGroupsSmallerThanK }) records in groups smaller than k = \(k).")
            print("Profile: \(report.profile.id) (\(report.profile.title)).")
            print("LA child ids: \(scan.childIDCheck).")
            if scan.clean {
                print("Identifier scan: none found in \(scan.values) values of \(scan.columns) columns.")
            } else {
                print("Identifier scan: FOUND \(scan.upn) UPN, \(scan.postcode) full postcode, \(scan.dateOfBirth) date-of-birth shapes and \(scan.childID) LA child ids in:")
                for hit in scan.hits {
                    print("  \(hit.table).\(hit.column): \(hit.upn) UPN, \(hit.postcode) postcode, \(hit.dateOfBirth) date of birth, \(hit.childID) LA child id")
                }
                throw ExitCode(ExitStatus.quarantined)
            }
        }
    }

    struct Validation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validation",
            abstract: "Write, for each current return, what its checks found, for the LA's data team (HTML and CSV).",
            discussion: """
                Writes DIR/validation-LA-COLLECTION-YEAR.html (self-contained: no scripts, nothing fetched) and .csv for each \
                current return the options select, and DIR/validation-index.html linking them: the return's ledger facts (rows \
                read, loaded and quarantined, findings, when loaded, key fingerprint), the entries per rule (rule, DfE code, \
                severity, quarantined or loaded with a finding, message, count, and a chart), and every entry with its file, its \
                row as a spreadsheet shows it (header = row 1; for XML, the line of the row's element) and its field. The reports \
                hold what the warehouse's loads, quarantine and findings tables hold, never a value from a return. A return \
                with nothing to correct gets a page saying so. Exit status: 0 written (whatever the returns hold); 64 usage or \
                configuration error; 1 the report failed.
                """
        )

        @Option(help: "The warehouse: a SQLite file path, or postgres://user@host:port/database (password from PGPASSWORD or a pgpass file).")
        var warehouse: String = "out/warehouse.sqlite"

        @Option(help: "Only the returns of this LA (three-digit code).")
        var la: String?

        @Option(help: "Only the returns of this collection year (the year it ends: 2025 for 2024-25).")
        var year: Int?

        @Option(help: "Only the returns of this collection (ssda903, cin, ssd).")
        var collection: String?

        @Option(help: "The schemas folder (LA names, and which input tables are read from XML).")
        var schemas: String?

        @Option(help: "Folder to write the reports and validation-index.html into.")
        var out: String = "out/reports"

        func validate() throws {
            if let la, la.count != 3 || !la.allSatisfy(\.isNumber) {
                throw ValidationError("--la takes a three-digit LA code, e.g. 352")
            }
            if let year, !(2000...2099).contains(year) {
                throw ValidationError("--year takes the year a collection ends, e.g. 2025 for 2024-25")
            }
            try Report.validate(warehouse: warehouse)
        }

        func run() async throws {
            let catalog: SchemaCatalog
            do {
                catalog = try SchemaCatalog.load(from: SchemaLocator.locate(schemas))
            } catch {
                printError("rcc: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            let filter = ValidationReport.Filter(la: la, collection: collection, year: year)
            let set = try await withWarehouse(WarehouseLocation(warehouse)) { store in
                try await ValidationReport.compute(warehouse: store, catalog: catalog, filter: filter)
            }

            let folder = URL(fileURLWithPath: out)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for report in set.reports {
                    try Data(ValidationReportHTML.render(report).utf8).write(to: folder.appendingPathComponent(report.fileStem + ".html"))
                    try Data(ValidationReportCSV.render(report).utf8).write(to: folder.appendingPathComponent(report.fileStem + ".csv"))
                }
                try Data(ValidationReportHTML.renderIndex(set).utf8).write(to: folder.appendingPathComponent(ValidationReportSet.indexFile))
            } catch {
                printError("rcc: cannot write the reports into \(out): \(error)")
                throw ExitCode.failure
            }
            let index = (out as NSString).appendingPathComponent(ValidationReportSet.indexFile)
            if set.reports.isEmpty {
                print("No current return \(filter.words.map { "matches \($0)" } ?? "in the warehouse"); wrote \(index).")
                return
            }
            print("Wrote \(count(set.reports.count, "validation report")) into \(out) (index: \(index)):")
            for report in set.reports {
                let load = report.load
                print("  \(report.fileStem).html and .csv: \(count(load.rowsQuarantined, "row")) quarantined, "
                      + "\(count(load.findings, "finding")), \(count(report.entries.count, "entry", "entries"))")
            }
        }

        private func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
            "\(n) \(n == 1 ? one : many ?? one + "s")"
        }
    }
}
