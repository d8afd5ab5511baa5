import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// Faults during a load, on every warehouse engine, through the built `rcc`: a kill at any moment
/// leaves the previous version; two rcc never interleave; a lost PostgreSQL connection loads nothing.
@Suite(.serialized) struct WarehouseFaultTests {
    static let rcc = IngestEndToEndTests.rcc
    let folder: URL
    let key: String

    init() throws {
        folder = try TestSupport.temporaryFolder("rcc-faults")
        key = folder.appendingPathComponent("k").path
        _ = try TestSupport.run(Self.rcc, ["keygen", "--out", key])
    }

    func ingest(_ warehouse: String, _ input: URL) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, ingestArguments(warehouse, input))
    }

    func ingestArguments(_ warehouse: String, _ input: URL) -> [String] {
        ["ingest", "--quiet", "--warehouse", warehouse, "--key-file", key, "--schemas", TestSupport.schemas,
         "--run-dir", folder.appendingPathComponent("runs").path, input.path]
    }

    func sql(_ warehouse: String, _ query: String) throws -> String { try TestWarehouses.sql(warehouse, query) }

    /// Small v1 loaded, big v2 ready to send.
    func twoVersions() throws -> (v1: URL, v2: URL) {
        let v1 = folder.appendingPathComponent("v1/352/2025"), v2 = folder.appendingPathComponent("v2/352/2025")
        try TestSupport.writeSyntheticReturn(children: 50, episodes: 2, to: v1, seed: 1)
        try TestSupport.writeSyntheticReturn(children: 4000, episodes: 5, to: v2, seed: 2)
        return (v1, v2)
    }

    @Test(arguments: TestWarehouses.engines)
    func killingRccAtAnyMomentLeavesThePreviousVersion(engine: TestWarehouses.Engine) throws {
        let (v1, v2) = try twoVersions()
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        #expect(try ingest(warehouse, v1).status == 0)
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children") == "50")

        // How long a whole load of v2 takes here, measured on a scratch warehouse.
        let scratch = try TestWarehouses.fresh(engine, in: folder)
        let started = Date()
        #expect(try ingest(scratch, v2).status == 0)
        let duration = Date().timeIntervalSince(started)

        var rng = SystemRandomNumberGenerator()
        for _ in 0..<6 {
            let process = try TestSupport.start(Self.rcc, ingestArguments(warehouse, v2))
            usleep(UInt32(Double.random(in: 0...duration, using: &rng) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let children = try sql(warehouse, "SELECT COUNT(*) FROM children")
            let current = try sql(warehouse, "SELECT COUNT(*) FROM loads WHERE status = 'current'")
            #expect(current == "1")
            #expect(try sql(warehouse, "SELECT COUNT(*) FROM loads WHERE status NOT IN ('current', 'replaced')") == "0")
            if children == "4000" { break }   // that run finished before the kill landed: nothing more to prove
            #expect(children == "50", "a killed load left \(children) children")
            #expect(try sql(warehouse, "SELECT COUNT(*) FROM care_episodes") == "100")
        }
        // The next run loads the return whole.
        let result = try ingest(warehouse, v2)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children") == "4000")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM care_episodes") == "20000")
    }

    @Test(arguments: TestWarehouses.engines)
    func twoRccAtOnceNeverInterleave(engine: TestWarehouses.Engine) throws {
        let (v1, v2) = try twoVersions()
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        #expect(try ingest(warehouse, v1).status == 0)
        let a = try TestSupport.start(Self.rcc, ingestArguments(warehouse, v2))
        let b = try TestSupport.start(Self.rcc, ingestArguments(warehouse, v1))
        a.waitUntilExit()
        b.waitUntilExit()
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
        // Whichever committed last is current, whole, and the only version with rows.
        let current = try sql(warehouse, "SELECT load_id, rows_loaded FROM loads WHERE status = 'current'").split(separator: "|")
        #expect(current.count == 2)
        let children = try sql(warehouse, "SELECT COUNT(*) FROM children"), episodes = try sql(warehouse, "SELECT COUNT(*) FROM care_episodes")
        #expect(Int(children)! + Int(episodes)! == Int(current[1])!)
        #expect(try sql(warehouse, "SELECT COUNT(DISTINCT load_id) FROM care_episodes") == "1")
        #expect(try sql(warehouse, "SELECT DISTINCT load_id FROM children") == String(current[0]))
    }

    @Test(.enabled(if: TestWarehouses.postgresURL != nil, Comment(rawValue: TestWarehouses.skipNotice)))
    func aLostPostgresConnectionFailsTheReturnAndLoadsNothing() throws {
        let (v1, v2) = try twoVersions()
        let warehouse = try TestWarehouses.fresh(.postgres, in: folder)
        #expect(try ingest(warehouse, v1).status == 0)
        let out = folder.appendingPathComponent("lost.out"), err = folder.appendingPathComponent("lost.err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.rcc)
        process.arguments = ingestArguments(warehouse, v2)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        // Cut rcc's connection from the server side once it is copying rows.
        var terminated = false
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline && !terminated {
            let killed = try sql(warehouse, """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = 'rcc' AND datname = current_database() AND query LIKE 'COPY%'
                """)
            terminated = killed.contains("t")
            if !terminated { usleep(10_000) }
        }
        process.waitUntilExit()
        try #require(terminated, "the load finished before its connection could be cut; make v2 larger")
        let stdout = try String(contentsOf: out, encoding: .utf8), stderr = try String(contentsOf: err, encoding: .utf8)
        #expect(process.terminationStatus != 0)
        #expect((stdout + stderr).contains("lost the connection"), "\(stdout)\(stderr)")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children") == "50")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM loads") == "1")
    }

    @Test(.enabled(if: TestWarehouses.postgresURL != nil, Comment(rawValue: TestWarehouses.skipNotice)))
    func sqliteAndPostgresHoldTheSameRows() throws {
        let sqlite = try TestWarehouses.fresh(.sqlite, in: folder), postgres = try TestWarehouses.fresh(.postgres, in: folder)
        let samples = URL(fileURLWithPath: TestSupport.samples)
        #expect(try ingest(sqlite, samples).status == 2)
        #expect(try ingest(postgres, samples).status == 2)
        let query = "SELECT la, child, upn, sex, dob_month, ethnic FROM children ORDER BY la, child"
        #expect(try sql(sqlite, query) == sql(postgres, query))
        let episodes = "SELECT la, child, decom, place, dec, home_post_sector, age_at_decom FROM care_episodes ORDER BY la, child, decom"
        #expect(try sql(sqlite, episodes) == sql(postgres, episodes))
        #expect(try sql(sqlite, "SELECT rule_id, source, row_number FROM quarantine ORDER BY source, row_number, rule_id")
                == sql(postgres, "SELECT rule_id, source, row_number FROM quarantine ORDER BY source, row_number, rule_id"))
        // The same bytes again change nothing.
        let again = try ingest(postgres, samples)
        #expect(again.stdout.contains("unchanged"))
        #expect(try sql(postgres, "SELECT COUNT(*) FROM loads") == "5")
    }
}
