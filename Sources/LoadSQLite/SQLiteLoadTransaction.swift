import CSQLite
import Foundation
import Load
import RCCCore

func sqlite3_last_insert_rowid_shim(_ connection: SQLiteConnection) -> Int64 {
    sqlite3_last_insert_rowid(connection.handle)
}

/// One return's load into SQLite: prepared inserts inside the transaction `beginLoad` opened.
final class SQLiteLoadTransaction: LoadTransaction, @unchecked Sendable {
    let loadID: Int
    private let warehouse: SQLiteWarehouse
    private let connection: SQLiteConnection
    private let key: ReturnKey
    private var inserts: [String: SQLiteStatement] = [:]
    private var finished = false

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

    private func cached(_ name: String, _ sql: String) throws -> SQLiteStatement {
        if let statement = inserts["#" + name] { return statement }
        let statement = try connection.prepare(sql)
        inserts["#" + name] = statement
        return statement
    }

    func commit(_ entry: LedgerEntry) async throws -> Int? {
        try warehouse.locked {
            let previous = try warehouse.readLedger(
                where: "la = ? AND collection = ? AND collection_year = ? AND status = 'current'",
                [.text(key.la), .text(key.collection), .integer(key.year)]).first?.loadID
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
