import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// The four stages from `make`, one at a time through a work folder, against one `rcc ingest`.
@Suite(.serialized) struct StagesEndToEndTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    let folder: URL
    init() throws { folder = try TestSupport.temporaryFolder("rcc-e2e-stages") }

    func keygen() throws -> String {
        let key = folder.appendingPathComponent("stages.key").path
        if !FileManager.default.fileExists(atPath: key) {
            #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        }
        return key
    }

    /// `make TARGET…` in the repository, with the built rcc (so make builds nothing).
    func make(_ targets: [String], _ variables: [String: String]) throws -> TestSupport.ProcessResult {
        try TestSupport.run("/usr/bin/env", ["make", "--no-print-directory", "-C", TestSupport.root.path, "RCC=\(Self.rcc)"]
                            + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + targets)
    }

    func stage(_ arguments: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, arguments + ["--schemas", TestSupport.schemas])
    }

    /// Every row of every regional table, of quarantine and of findings, and the ledger's facts of each
    /// load (not its run id or time), in a stable order.
    func contents(_ warehouse: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for table in TestSupport.catalog.regionalTables.map(\.table) + ["quarantine", "findings"] {
            let columns = try TestWarehouses.sql(warehouse, warehouse.hasPrefix("postgres")
                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '\(table)' ORDER BY ordinal_position"
                : "SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").split(separator: "\n").map(String.init)
            let list = columns.map { "CAST(\($0) AS TEXT)" }.joined(separator: ", ")
            out[table] = try TestWarehouses.sql(warehouse, "SELECT \(list) FROM \(table) ORDER BY \(columns.indices.map { String($0 + 1) }.joined(separator: ", "))")
        }
        out["loads"] = try TestWarehouses.sql(warehouse, """
            SELECT load_id, la, collection, collection_year, status, source_sha256, sources, rows_read, rows_loaded, \
            rows_quarantined, findings, key_fingerprint, schema_version FROM loads ORDER BY load_id
            """)
        return out
    }

    @Test(arguments: TestWarehouses.engines)
    func aStageByStageMakeRunFillsTheWarehouseAsOneIngestDoes(engine: TestWarehouses.Engine) throws {
        let key = try keygen()
        let staged = try TestWarehouses.fresh(engine, in: folder), single = try TestWarehouses.fresh(engine, in: folder)
        let work = folder.appendingPathComponent("work-\(engine)").path
        let vars = ["WORK": work, "WAREHOUSE": staged, "KEY": key, "OUT": folder.appendingPathComponent("out-\(engine)").path,
                    "INPUT": TestSupport.samples]
        let result = try make(["extract", "validate", "transform", "load"], vars)
        #expect(result.status == 0, "make: \(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("357 ssda903 2025: 82 rows checked, 12 quarantined"))
        #expect(result.stdout.contains("5 returns loaded, 0 unchanged, 0 not loaded; 516 rows read, 504 loaded, 12 quarantined"))

        let ingest = try TestSupport.run(Self.rcc, ["ingest", "--quiet", "--warehouse", single, "--key-file", key,
                                                    "--schemas", TestSupport.schemas, TestSupport.samples])
        #expect(ingest.status == 2)
        let a = try contents(staged), b = try contents(single)
        #expect((a["children"] ?? "").split(separator: "\n").count == 172)
        for table in a.keys.sorted() { #expect(a[table] == b[table], "\(table) differs between the staged run and rcc ingest") }

        // Loading the same work again changes nothing, as ingest would not.
        let again = try make(["load"], vars)
        #expect(again.status == 0 && again.stdout.contains("0 returns loaded, 5 unchanged"), "\(again.stdout)")
    }

    @Test func rawValuesStayPrivateAndGoOnceTransformHasRun() throws {
        let key = try keygen()
        let work = folder.appendingPathComponent("private").path
        #expect(try stage(["extract", "--work", work, TestSupport.samples]).status == 0)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(work) == 0o700)
        #expect(try mode(work + "/extract/350-ssda903-2025") == 0o700)
        #expect(try mode(work + "/extract/350-ssda903-2025/records.rcw") == 0o600)
        #expect(try mode(work + "/state.json") == 0o600)
        // The extract holds the raw child ids; the state holds none.
        let raw = try Data(contentsOf: URL(fileURLWithPath: work + "/extract/350-ssda903-2025/records.rcw"))
        #expect(raw.range(of: Data("B100002".utf8)) != nil)
        #expect(!(try String(contentsOfFile: work + "/state.json", encoding: .utf8)).contains("B100002"))

        // A stage re-run starts from the stage before it: counts do not pile up.
        let first = try stage(["validate", "--work", work]), second = try stage(["validate", "--work", work])
        #expect(first.status == 2 && first.stdout == second.stdout, "\(first.stdout)\n---\n\(second.stdout)")

        // Before validate, transform has nothing; after transform, the raw folders are gone.
        #expect(try stage(["transform", "--work", work, "--key-file", key]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: work + "/extract") && !FileManager.default.fileExists(atPath: work + "/validate"))
        let rows = try Data(contentsOf: URL(fileURLWithPath: work + "/transform/350-ssda903-2025/rows.rcw"))
        for id in ["B100002", "V350232020363", "12/01/2011", "2011-01-12"] {
            #expect(rows.range(of: Data(id.utf8)) == nil, "\(id) is in the transform output")
        }
        let late = try stage(["validate", "--work", work])
        #expect(late.status == 64 && late.stderr.contains("run `rcc extract` again"), "\(late.stderr)")
        // The load must be of the profile the rows were made under.
        let other = try stage(["load", "--work", work, "--warehouse", folder.appendingPathComponent("p.sqlite").path, "--profile", "sufficiency"])
        #expect(other.status == 64 && other.stderr.contains("--profile full"), "\(other.stderr)")
    }

    @Test func aStageRunOutOfOrderSaysWhichToRunFirst() throws {
        let work = folder.appendingPathComponent("empty").path
        let validate = try stage(["validate", "--work", work])
        #expect(validate.status == 64 && validate.stderr.contains("run `rcc extract` first"))
        let load = try stage(["load", "--work", work, "--warehouse", folder.appendingPathComponent("n.sqlite").path])
        #expect(load.status == 64 && load.stderr.contains("run `rcc transform` first"))
    }
}
