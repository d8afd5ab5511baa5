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
        subcommands: [DPO.self]
    )

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
            switch WarehouseLocation(warehouse) {
            case .postgres(let url):
                do { _ = try PostgresLocation(url: url) } catch { throw ValidationError("\(error)") }
            case .sqlite(let path):
                // Reading must not create an empty warehouse.
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ValidationError("no warehouse at \(path) (run rcc ingest first, or give --warehouse)")
                }
            }
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
}
