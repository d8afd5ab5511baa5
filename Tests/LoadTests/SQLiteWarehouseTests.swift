import Foundation
import Load
import LoadSQLite
import RCCCore
import RCCTestSupport
import Testing

@Suite struct SQLiteWarehouseTests {
    let catalog = TestSupport.catalog
    let folder: URL
    let key = ReturnKey(la: "352", collection: "ssda903", year: 2025)

    init() throws { folder = try TestSupport.temporaryFolder("rcc-load") }

    var path: String { folder.appendingPathComponent("w.sqlite").path }

    func sql(_ query: String) throws -> String {
        let result = try TestSupport.run("/usr/bin/env", ["sqlite3", path, query])
        #expect(result.status == 0, "sqlite3: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func childrenBatch(_ children: [String]) throws -> RowBatch {
        let table = try #require(catalog.regionalTable("children"))
        return RowBatch(table: table, rows: children.map { child in
            table.columns.map { column in
                switch column.name {
                case "la": .text(key.la)
                case "collection_year": .integer(key.year)
                case "child": .text(child)
                default: .null
                }
            }
        })
    }

    func entry(_ digest: String, rows: Int) -> LedgerEntry {
        LedgerEntry(key: key, sourceSHA256: digest, sourcesJSON: "[]", rowsRead: rows, rowsLoaded: rows, rowsQuarantined: 0,
                    findings: 0, keyFingerprint: "sha256:test", schemaVersion: catalog.version, runID: "t", loadedAt: "now")
    }

    @Test func createsTablesFromTheRegionalSchemaAndRecordsMigrations() async throws {
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        try await warehouse.prepare(catalog)   // a second time changes nothing
        let tables = try sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split(separator: "\n")
        for name in ["care_episodes", "children", "findings", "loads", "quarantine", "schema_migrations"] {
            #expect(tables.contains(Substring(name)))
        }
        #expect(try sql("SELECT COUNT(*) FROM schema_migrations WHERE name = 'table-children'") == "1")
        let columns = try sql("SELECT name FROM pragma_table_info('children')").split(separator: "\n").map(String.init)
        #expect(columns == ["load_id"] + catalog.regionalTable("children")!.columns.map(\.name))
    }

    @Test func aCommittedLoadIsCurrentAndANewVersionReplacesIt() async throws {
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        let first = try await warehouse.beginLoad(key)
        try await first.insert(try childrenBatch(["a", "b", "c"]))
        #expect(try await first.commit(entry("d1", rows: 3)) == nil)

        let second = try await warehouse.beginLoad(key)
        try await second.insert(try childrenBatch(["a", "b"]))
        let replaced = try await second.commit(entry("d2", rows: 2))
        #expect(replaced == first.loadID)

        #expect(try sql("SELECT COUNT(*) FROM children") == "2")
        #expect(try sql("SELECT DISTINCT load_id FROM children") == String(second.loadID))
        #expect(try sql("SELECT load_id, status, replaced_by FROM loads ORDER BY load_id") ==
                "\(first.loadID)|replaced|\(second.loadID)\n\(second.loadID)|current|")
        let current = try await warehouse.currentLoad(of: key)
        #expect(current?.sourceSHA256 == "d2" && current?.replaces == first.loadID)
    }

    @Test func aRolledBackLoadLeavesThePreviousVersion() async throws {
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        let first = try await warehouse.beginLoad(key)
        try await first.insert(try childrenBatch(["a"]))
        try await first.commit(entry("d1", rows: 1))

        let failed = try await warehouse.beginLoad(key)
        try await failed.insert(try childrenBatch(["x", "y", "z"]))
        await failed.rollback()

        #expect(try sql("SELECT child FROM children") == "a")
        #expect(try sql("SELECT COUNT(*) FROM loads") == "1")
    }

    @Test func aSecondWriterWaitsForTheFirst() async throws {
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        let open = try await warehouse.beginLoad(key)
        // Another process cannot write while the load holds the lock.
        let result = try TestSupport.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 200", path,
                                                          "INSERT INTO schema_migrations VALUES ('x', 'y')"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("locked") || result.stderr.contains("busy"))
        await open.rollback()
    }

    @Test func aColumnAddedToTheSchemaIsAddedByAMigration() async throws {
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        let applied = Set(try sql("SELECT name FROM schema_migrations").split(separator: "\n").map(String.init))
        #expect(WarehouseSchema.migrations(for: catalog, dialect: .sqlite, applied: applied).isEmpty)
        let without = applied.subtracting(["column-children-mother"])
        let pending = WarehouseSchema.migrations(for: catalog, dialect: .sqlite, applied: without)
        #expect(pending.map(\.name) == ["column-children-mother"])
        #expect(pending.first?.statements == ["ALTER TABLE children ADD COLUMN mother TEXT"])
    }
}

extension SQLiteWarehouseTests {
    @Test func tablesAnAnalystAddedDoNotBreakAReplacement() async throws {
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(catalog)
        let first = try await warehouse.beginLoad(key)
        try await first.insert(try childrenBatch(["a"]))
        try await first.commit(entry("d1", rows: 1))
        _ = try sql("CREATE TABLE my_notes (note TEXT); INSERT INTO my_notes VALUES ('keep me')")
        let second = try await warehouse.beginLoad(key)
        try await second.insert(try childrenBatch(["b"]))
        try await second.commit(entry("d2", rows: 1))
        #expect(try sql("SELECT child FROM children") == "b")
        #expect(try sql("SELECT note FROM my_notes") == "keep me")
    }
}
