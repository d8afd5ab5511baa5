import CSQLite
import Foundation
import Load
import RCCCore

func sqlite3_last_insert_rowid_shim(_ connection: SQLiteConnection) -> Int64 {
    sqlite3_last_insert_rowid(connection.handle)
}

/// One return's load into SQLite: prepared inserts inside the transaction `beginLoad` opened.
///
/// A table that holds no rows but those of the version this load replaces gets its indexes built once,
/// when its rows are in (`rowsComplete`, or else at commit), from its sorted rows, instead of entry by
/// entry as rows arrive: a bulk load into random-keyed indexes (pseudonyms) larger than the page cache
/// costs a page read and write per entry, a sort does not. The drop and the rebuild are inside the load's
/// transaction, so readers keep the indexes they had and a failed load leaves them as they were. Each
/// table keeps its `load_id` index live (the replaced version's rows are deleted by it; its entries
/// arrive in order).
final class SQLiteLoadTransaction: LoadTransaction, @unchecked Sendable {
    let loadID: Int
    private let warehouse: SQLiteWarehouse
    private let connection: SQLiteConnection
    private let key: ReturnKey
    private var inserts: [String: SQLiteStatement] = [:]
    private var finished = false
    /// The indexes dropped for this load, as their `CREATE` statements, to build again once its rows are in.
    private var deferredIndexes: [String] = []
    /// The tables whose indexes wait.
    private var deferredTables: [String] = []

    init(warehouse: SQLiteWarehouse, connection: SQLiteConnection, key: ReturnKey, loadID: Int) {
        self.warehouse = warehouse
        self.connection = connection
        self.key = key
        self.loadID = loadID
    }

    func insert(_ batch: RowBatch) async throws {
        try warehouse.locked {
            let statement: SQLiteStatement
            if let cached = inserts[batch.table.table] { statement = cached } else {
                try deferIndexesIfAlone(batch.table.table)
                statement = try connection.prepare(WarehouseSchema.insertStatement(batch.table) { _ in "?" })
                inserts[batch.table.table] = statement
            }
            for row in batch.rows {
                statement.bind(.integer(loadID), at: 1)
                for (i, value) in row.enumerated() { statement.bind(value, at: Int32(i + 2)) }
                try statement.run()
            }
        }
    }

    func recordQuarantine(_ diagnostics: [(diagnostic: Diagnostic, child: String?)]) async throws {
        try warehouse.locked {
            let statement = try cached("quarantine", """
                INSERT INTO quarantine (load_id, table_name, source, row_number, field, rule_id, dfe_code, severity, reason, child)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (d, child) in diagnostics {
                try statement.run([.integer(loadID), .text(d.table), .text(d.location.source),
                                   d.location.row.map(SQLValue.integer) ?? .null, d.location.field.map(SQLValue.text) ?? .null,
                                   .text(d.ruleID), d.dfeCode.map(SQLValue.text) ?? .null, .text(d.severity.rawValue),
                                   .text(d.message), child.map(SQLValue.text) ?? .null])
            }
        }
    }

    func recordFindings(_ findings: [(diagnostic: Diagnostic, child: String?)]) async throws {
        try warehouse.locked {
            let statement = try cached("findings", """
                INSERT INTO findings (load_id, table_name, source, row_number, field, rule_id, dfe_code, severity, message, child)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (d, child) in findings {
                try statement.run([.integer(loadID), .text(d.table), .text(d.location.source),
                                   d.location.row.map(SQLValue.integer) ?? .null, d.location.field.map(SQLValue.text) ?? .null,
                                   .text(d.ruleID), d.dfeCode.map(SQLValue.text) ?? .null, .text(d.severity.rawValue),
                                   .text(d.message), child.map(SQLValue.text) ?? .null])
            }
        }
    }

    /// Drops `table`'s indexes (but its `load_id` one) for a build once its rows are in, when no other
    /// return's rows are in it.
    private func deferIndexesIfAlone(_ table: String) throws {
        // The version this load replaces is still current until commit; its rows are not another's.
        let replacing = try currentLoadID()
        let others = try connection.prepare("""
            SELECT EXISTS (SELECT 1 FROM \(table) WHERE load_id < ?1) OR EXISTS (SELECT 1 FROM \(table) WHERE load_id > ?1)
            """).query([.integer(replacing ?? loadID)])
        guard case .integer(0) = others.first?.first else { return }
        let indexes = try connection.prepare("""
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND name <> ?1 || '_load' ORDER BY name
            """).query([.text(table)])
        for index in indexes {
            guard case .text(let name) = index[0], case .text(let sql) = index[1] else { continue }
            try connection.execute("DROP INDEX \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"")
            deferredIndexes.append(sql)
        }
        if !indexes.isEmpty { deferredTables.append(table) }
    }

    /// Builds the indexes that waited, over this version's rows alone: the replaced version's rows in those
    /// tables go first (commit would delete them anyway, entry by entry from every index).
    private func buildDeferredIndexes() throws {
        guard !deferredIndexes.isEmpty else { return }
        if let replacing = try currentLoadID() {
            for table in deferredTables { try connection.prepare("DELETE FROM \(table) WHERE load_id = ?").run([.integer(replacing)]) }
        }
        // The sorter takes as much memory as the page cache may (32 MiB): beside the sequence rules that put
        // a 200,000-child CIN XML's peak at 208 MB. Both held to 8 MiB while the indexes are built: 157 MB,
        // and the 2,000,000-row CSV 42.6 s where it was 41.3 s.
        try connection.execute("PRAGMA cache_size = -8192")
        defer { try? connection.execute("PRAGMA cache_size = \(SQLiteWarehouse.cacheSize)") }
        for index in deferredIndexes { try connection.execute(index) }
        deferredIndexes = []
        deferredTables = []
    }

    /// Builds the indexes that waited now, so that it runs beside the sequence rules rather than in commit.
    func rowsComplete() async throws {
        try warehouse.locked { try buildDeferredIndexes() }
    }

    private func currentLoadID() throws -> Int? {
        try warehouse.readLedger(
            where: "la = ? AND collection = ? AND collection_year = ? AND status = 'current'",
            [.text(key.la), .text(key.collection), .integer(key.year)]).first?.loadID
    }

    private func cached(_ name: String, _ sql: String) throws -> SQLiteStatement {
        if let statement = inserts["#" + name] { return statement }
        let statement = try connection.prepare(sql)
        inserts["#" + name] = statement
        return statement
    }

    func commit(_ entry: LedgerEntry) async throws -> Int? {
        try warehouse.locked {
            let previous = try currentLoadID()
            if let previous {
                // Every table whose rows belong to a load (regional, quarantine, findings, and tables of
                // earlier schema versions), but none an analyst added without a load_id.
                let tables = try connection.prepare("""
                    SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
                    WHERE m.type = 'table' AND c.name = 'load_id' AND m.name != 'loads'
                    """).query().compactMap { row -> String? in if case .text(let n) = row[0] { return n }; return nil }
                for table in tables {
                    try connection.prepare("DELETE FROM \(table) WHERE load_id = ?").run([.integer(previous)])
                }
                try connection.prepare("UPDATE loads SET status = 'replaced', replaced_by = ? WHERE load_id = ?")
                    .run([.integer(loadID), .integer(previous)])
            }
            try buildDeferredIndexes()   // when `rowsComplete` was not called
            try connection.prepare("""
                UPDATE loads SET status = 'current', source_sha256 = ?, sources = ?, rows_read = ?, rows_loaded = ?,
                  rows_quarantined = ?, findings = ?, key_fingerprint = ?, schema_version = ?, run_id = ?, loaded_at = ?,
                  replaces = ?
                WHERE load_id = ?
                """).run([.text(entry.sourceSHA256), .text(entry.sourcesJSON), .integer(entry.rowsRead),
                          .integer(entry.rowsLoaded), .integer(entry.rowsQuarantined), .integer(entry.findings),
                          .text(entry.keyFingerprint), .text(entry.schemaVersion), .text(entry.runID),
                          .text(entry.loadedAt), previous.map(SQLValue.integer) ?? .null, .integer(loadID)])
            inserts.removeAll()
            try connection.execute("COMMIT")
            finished = true
            return previous
        }
    }

    func rollback() async {
        warehouse.locked {
            guard !finished else { return }
            inserts.removeAll()
            try? connection.execute("ROLLBACK")
            finished = true
        }
    }
}
