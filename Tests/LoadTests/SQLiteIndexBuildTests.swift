import Foundation
import Load
import LoadSQLite
import RCCCore
import RCCTestSupport
import Testing

/// A load into a SQLite table holding no other return's rows builds that table's indexes at commit, from
/// its sorted rows; a load beside other returns' rows keeps them live. Either way the warehouse ends with
/// the same indexes, and a load that fails leaves them as they were.
@Suite struct SQLiteIndexBuildTests {
    let catalog = TestSupport.catalog
    let folder: URL
    let manchester = ReturnKey(la: "352", collection: "ssda903", year: 2025)
    let bolton = ReturnKey(la: "350", collection: "ssda903", year: 2025)

    init() throws { folder = try TestSupport.temporaryFolder("rcc-index-build") }

    /// A new, prepared warehouse, its file, and the indexes its `children` table is declared with.
    func prepared() async throws -> (SQLiteWarehouse, String, [String]) {
        let path = try TestWarehouses.fresh(.sqlite, in: folder)
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        return (warehouse, path, try await indexes(warehouse))
    }

    /// Loads and commits a version of `key`'s return with these children.
    func loaded(_ warehouse: SQLiteWarehouse, _ key: ReturnKey, _ ids: [String], digest: String) async throws {
        let load = try await warehouse.beginLoad(key)
        try await load.insert(try children(key, ids))
        try await load.commit(entry(key, digest, rows: ids.count))
    }

    func children(_ key: ReturnKey, _ ids: [String]) throws -> RowBatch {
        let table = try #require(catalog.regionalTable("children"))
        return RowBatch(table: table, rows: ids.enumerated().map { n, id in
            table.columns.map { column in
                switch column.name {
                case "la": .text(key.la)
                case "collection_year": .integer(key.year)
                case "collection": .text(key.collection)
                case "child": .text(id)
                case "upn": .text("upn-\(n)")
                default: .null
                }
            }
        })
    }

    func entry(_ key: ReturnKey, _ digest: String, rows: Int) -> LedgerEntry {
        LedgerEntry(key: key, sourceSHA256: digest, sourcesJSON: "[]", rowsRead: rows, rowsLoaded: rows, rowsQuarantined: 0,
                    findings: 0, keyFingerprint: "sha256:test", schemaVersion: catalog.version, runID: "t", loadedAt: "now")
    }

    /// The indexes of `children` as the warehouse's own connection sees them (inside an open load, too).
    func indexes(_ warehouse: SQLiteWarehouse) async throws -> [String] {
        try await warehouse.query("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'children' ORDER BY name")
            .map { if case .text(let line) = $0[0] { line } else { "" } }
    }

    func integrity(_ path: String) throws -> String { try TestWarehouses.sql(path, "PRAGMA integrity_check") }

    @Test func aLoadIntoATableOfItsOwnBuildsTheIndexesAtCommit() async throws {
        let (warehouse, path, declared) = try await prepared()
        #expect(declared.count == 3, "children_load, children_la_child, children_upn: \(declared)")

        let load = try await warehouse.beginLoad(manchester)
        try await load.insert(try children(manchester, (0..<500).map { String(format: "%08x", ($0 &* 2_654_435_761) & 0xffff_ffff) }))
        // Inside the load only the load_id index is kept up; a reader still sees all three.
        #expect(try await indexes(warehouse) == declared.filter { $0.hasPrefix("children_load:") })
        #expect(try TestWarehouses.sql(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'children'") == "3")
        try await load.commit(entry(manchester, "d1", rows: 500))

        #expect(try await indexes(warehouse) == declared)
        #expect(try integrity(path) == "ok")
        let plan = try TestWarehouses.sql(path, "EXPLAIN QUERY PLAN SELECT upn FROM children WHERE la = '352' AND child = '00000000'")
        #expect(plan.contains("children_la_child"), "\(plan)")
        #expect(try TestWarehouses.sql(path, "SELECT COUNT(*) FROM children INDEXED BY children_upn WHERE upn > ''") == "500")
        await warehouse.close()
    }

    @Test func aLoadBesideAnotherReturnsRowsKeepsTheIndexesLive() async throws {
        let (warehouse, path, declared) = try await prepared()
        try await loaded(warehouse, bolton, ["a", "b"], digest: "b1")

        let second = try await warehouse.beginLoad(manchester)
        try await second.insert(try children(manchester, ["c", "d", "e"]))
        #expect(try await indexes(warehouse) == declared)
        try await second.commit(entry(manchester, "m1", rows: 3))
        #expect(try await indexes(warehouse) == declared)
        #expect(try integrity(path) == "ok")
        await warehouse.close()
    }

    @Test func aReSentReturnThatIsTheTablesOnlyOneIsBuiltAtCommitWithoutTheOldRows() async throws {
        let (warehouse, path, declared) = try await prepared()
        try await loaded(warehouse, manchester, ["a", "b", "c"], digest: "d1")

        let second = try await warehouse.beginLoad(manchester)
        try await second.insert(try children(manchester, ["b", "x"]))
        // The version it replaces is not another return's: the indexes wait until every row is in.
        #expect(try await indexes(warehouse).count == 1)
        try await second.rowsComplete()
        #expect(try await indexes(warehouse) == declared)
        try await second.recordFindings([(Diagnostic(ruleID: "t", severity: .query, action: .finding, table: "ssda903.header",
                                                     location: SourceLocation(source: "header.csv", row: 2), message: "after the rows"), "x")])
        #expect(try TestWarehouses.sql(path, "SELECT COUNT(*) FROM children") == "3", "a reader sees the old version until commit")
        try await second.commit(entry(manchester, "d2", rows: 2))

        #expect(try await indexes(warehouse) == declared)
        #expect(try integrity(path) == "ok")
        #expect(try TestWarehouses.sql(path, "SELECT child FROM children INDEXED BY children_la_child WHERE la = '352' ORDER BY child") == "b\nx")
        #expect(try TestWarehouses.sql(path, "SELECT child FROM findings") == "x")
        await warehouse.close()
    }

    @Test func aFailedLoadLeavesTheIndexesAsTheyWere() async throws {
        let (warehouse, path, declared) = try await prepared()
        let failed = try await warehouse.beginLoad(manchester)
        try await failed.insert(try children(manchester, ["a", "b"]))
        #expect(try await indexes(warehouse).count == 1)
        await failed.rollback()

        #expect(try await indexes(warehouse) == declared)
        #expect(try TestWarehouses.sql(path, "SELECT COUNT(*) FROM children") == "0")
        #expect(try integrity(path) == "ok")
        await warehouse.close()
    }

    @Test func anIndexThatCannotBeBuiltFailsTheCommitAndKeepsThePreviousVersion() async throws {
        let (warehouse, path, _) = try await prepared()
        try await loaded(warehouse, manchester, ["a", "b"], digest: "d1")
        // An analyst's unique index, which the next version's rows break.
        _ = try TestWarehouses.sql(path, "CREATE UNIQUE INDEX analyst_one_row_a_child ON children (child)")

        for early in [false, true] {
            let second = try await warehouse.beginLoad(manchester)
            try await second.insert(try children(manchester, ["c", "c"]))
            if early {
                await #expect(throws: (any Error).self) { try await second.rowsComplete() }
            } else {
                await #expect(throws: (any Error).self) { try await second.commit(entry(manchester, "d2", rows: 2)) }
            }
            await second.rollback()
        }

        #expect(try TestWarehouses.sql(path, "SELECT child FROM children ORDER BY child") == "a\nb")
        #expect(try TestWarehouses.sql(path, "SELECT name FROM sqlite_master WHERE name = 'analyst_one_row_a_child'") == "analyst_one_row_a_child")
        #expect(try TestWarehouses.sql(path, "SELECT status FROM loads") == "current")
        await warehouse.close()
    }
}
