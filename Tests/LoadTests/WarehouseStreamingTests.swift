import Foundation
import Load
import RCCCore
import RCCTestSupport
import Testing

/// Loads whose batches of several tables interleave, as a return's do: PostgreSQL gathers a table's rows
/// into chunks and copies one in the background while the next gathers (`CopyFeed`). Every row must arrive
/// once, a statement during the load must not run beside a COPY, and a row the server refuses must fail
/// the load with the server's error, name its table and leave the connection usable. The time limits are
/// for a hang (the whole suite runs at once, so a test may take two minutes); none asserts a speed.
extension WarehouseTests {
    func finding(_ row: Int, table: String = "care_episodes") -> (diagnostic: Diagnostic, child: String?) {
        (Diagnostic(ruleID: "rule-\(row % 7)", severity: .query, action: .finding, table: table,
                    location: SourceLocation(source: "returns/episodes.csv", row: row, field: "DECOM"),
                    message: "a finding about row \(row), long enough to make the findings' waiting rows add up"), "p\(row)")
    }

    func episodes(_ ids: [String]) throws -> RowBatch {
        try batch("care_episodes", ids.map { ["child": .text($0), "decom": .text("2024-05-01"), "rne": .text("S"), "place": .text("U4")] })
    }

    /// Rows of one of the regional tables, only the child given (and the LA and year, as every row).
    func rows(_ table: String, _ ids: [String]) throws -> RowBatch { try batch(table, ids.map { ["child": .text($0)] }) }

    @Test(.timeLimit(.minutes(10)), arguments: TestWarehouses.engines)
    func batchesOfTablesInTurnAllArriveOnce(engine: Engine) async throws {
        // Rounds of a batch of each of six tables, and findings and a quarantine reason: several MiB of each
        // table. Each table's rows reach a chunk of their own, and before that, all of them together reach
        // the limit on waiting rows (six tables a little under a chunk each), so the largest go first.
        let tables = ["children", "care_episodes", "legal_statuses", "placements", "reviews", "missing_episodes"]
        let rounds = 12, perBatch = 2500, findingsPerRound = 600
        var location = ""
        try await withWarehouse(engine) { warehouse, at in
            location = at
            try await warehouse.prepare(catalog)
            let load = try await warehouse.beginLoad(key)
            for round in 0..<rounds {
                let ids = (0..<perBatch).map { "child-\(round)-\($0)-with-a-pseudonym-sized-identifier" }
                for table in tables { try await load.insert(try rows(table, ids)) }
                try await load.recordFindings((0..<findingsPerRound).map { finding(round * findingsPerRound + $0) })
                try await load.recordQuarantine([finding(round)])
            }
            try await load.commit(entry("d1", rows: rounds * perBatch * tables.count))
        }
        let count = rounds * perBatch, findings = rounds * findingsPerRound
        for table in tables {
            #expect(try sql(location, "SELECT COUNT(*), COUNT(DISTINCT child) FROM \(table)") == "\(count)|\(count)", "\(table)")
        }
        #expect(try sql(location, "SELECT COUNT(*) FROM children c JOIN missing_episodes e ON e.child = c.child") == "\(count)")
        #expect(try sql(location, "SELECT COUNT(*), COUNT(DISTINCT row_number), MIN(row_number), MAX(row_number) FROM findings")
                == "\(findings)|\(findings)|0|\(findings - 1)")
        #expect(try sql(location, "SELECT COUNT(*), SUM(row_number) FROM quarantine") == "\(rounds)|\((0..<rounds).reduce(0, +))")
        #expect(try sql(location, "SELECT COUNT(DISTINCT load_id) FROM care_episodes") == "1")
    }

    @Test(.enabled(if: TestWarehouses.postgresURL != nil, Comment(rawValue: TestWarehouses.skipNotice)), .timeLimit(.minutes(10)))
    func aQueryDuringALoadSeesItsRowsAndTheLoadGoesOn() async throws {
        var location = ""
        try await withWarehouse(.postgres) { warehouse, at in
            location = at
            try await warehouse.prepare(catalog)
            let load = try await warehouse.beginLoad(key)
            try await load.insert(try children(["a", "b"]))
            try await load.insert(try episodes(["a"]))
            // On the load's own connection: the rows waiting go in first, and the query sees them.
            #expect(try await warehouse.query("SELECT COUNT(*) FROM children") == [[.integer(2)]])
            #expect(try await warehouse.query("SELECT COUNT(*) FROM care_episodes") == [[.integer(1)]])
            try await load.insert(try children(["c"]))
            try await load.commit(entry("d1", rows: 4))
        }
        #expect(try sql(location, "SELECT string_agg(child, ',' ORDER BY child) FROM children") == "a,b,c")
        #expect(try sql(location, "SELECT child FROM care_episodes") == "a")
    }

    @Test(.enabled(if: TestWarehouses.postgresURL != nil, Comment(rawValue: TestWarehouses.skipNotice)), .timeLimit(.minutes(10)))
    func aRowTheServerRefusesFailsTheLoadNamingItsTableAndTheConnectionGoesOn() async throws {
        var location = ""
        try await withWarehouse(.postgres) { warehouse, at in
            location = at
            try await warehouse.prepare(catalog)
            let first = try await warehouse.beginLoad(key)
            try await first.insert(try children(["a"]))
            try await first.commit(entry("d1", rows: 1))

            // A date the server cannot read, in the middle of a table's batches (rcc's checks never let one
            // through; this stands for any row the server refuses), then several MiB more of that table. The
            // error may surface at a later call or at commit, and must be the server's (22008: out of range).
            var bad = try episodes(["x", "y"])
            let decom = try #require(bad.table.columns.firstIndex { $0.name == "decom" })
            bad.rows[1][decom] = .text("2024-13-45")
            let failing = try await warehouse.beginLoad(key)
            await #expect {
                try await failing.insert(try children(["x", "y"]))
                try await failing.insert(try episodes(["v", "w"]))
                try await failing.insert(bad)
                for round in 0..<60 { try await failing.insert(try episodes((0..<1000).map { "z-\(round)-\($0)" })) }
                try await failing.recordFindings([finding(1)])
                _ = try await failing.commit(entry("d2", rows: 4))
            } throws: { "\($0)".contains("[22008] (while copying rows into care_episodes)") }
            await failing.rollback()

            // The same connection loads again, and the refused load left nothing.
            let next = try await warehouse.beginLoad(key)
            try await next.insert(try children(["n"]))
            try await next.insert(try episodes(["n"]))
            try await next.commit(entry("d3", rows: 2))
        }
        #expect(try sql(location, "SELECT child FROM children") == "n")
        #expect(try sql(location, "SELECT child FROM care_episodes") == "n")
        #expect(try sql(location, "SELECT status FROM loads ORDER BY load_id") == "replaced\ncurrent")
    }
}
