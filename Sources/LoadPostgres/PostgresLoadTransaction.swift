import Load
import NIOCore
import PostgresNIO
import RCCCore

/// One return's load into PostgreSQL: `COPY … FROM STDIN` inside the transaction `beginLoad` opened.
/// Not for concurrent use (as `LoadTransaction` is used: one call at a time).
final class PostgresLoadTransaction: LoadTransaction, @unchecked Sendable {
    let loadID: Int
    private let warehouse: PostgresWarehouse
    private let key: ReturnKey
    private var finished = false

    init(warehouse: PostgresWarehouse, key: ReturnKey, loadID: Int) {
        self.warehouse = warehouse
        self.key = key
        self.loadID = loadID
    }

    /// Rows into a table through the connection's COPY feed (see `CopyFeed`): the rows may reach the
    /// server after this returns, and any error of theirs surfaces from a later call or from `commit`.
    private func copy(_ table: String, columns: [String], rows: [[SQLValue]]) async throws {
        guard !rows.isEmpty else { return }
        var buffer = ByteBufferAllocator().buffer(capacity: rows.count * 128)
        for row in rows { CopyText.append(loadID: loadID, row, to: &buffer) }
        try await warehouse.feed.send(buffer, to: CopyFeed.Target(table: table, columns: ["load_id"] + columns))
    }

    func insert(_ batch: RowBatch) async throws {
        try await copy(batch.table.table, columns: batch.table.columns.map(\.name), rows: batch.rows)
    }

    func recordQuarantine(_ diagnostics: [(diagnostic: Diagnostic, child: String?)]) async throws {
        try await copy("quarantine", columns: ["table_name", "source", "row_number", "field", "rule_id", "dfe_code", "severity", "reason", "child"],
                       rows: diagnostics.map { d, child in
                           [.text(d.table), .text(d.location.source), d.location.row.map(SQLValue.integer) ?? .null,
                            d.location.field.map(SQLValue.text) ?? .null, .text(d.ruleID), d.dfeCode.map(SQLValue.text) ?? .null,
                            .text(d.severity.rawValue), .text(d.message), child.map(SQLValue.text) ?? .null]
                       })
    }

    func recordFindings(_ findings: [(diagnostic: Diagnostic, child: String?)]) async throws {
        try await copy("findings", columns: ["table_name", "source", "row_number", "field", "rule_id", "dfe_code", "severity", "message", "child"],
                       rows: findings.map { d, child in
                           [.text(d.table), .text(d.location.source), d.location.row.map(SQLValue.integer) ?? .null,
                            d.location.field.map(SQLValue.text) ?? .null, .text(d.ruleID), d.dfeCode.map(SQLValue.text) ?? .null,
                            .text(d.severity.rawValue), .text(d.message), child.map(SQLValue.text) ?? .null]
                       })
    }

    func commit(_ entry: LedgerEntry) async throws -> Int? {
        let doing = "committing the load of \(key)"
        try await warehouse.feed.flush()
        let previous = try await warehouse.currentLoad(of: key)?.loadID
        if let previous {
            // Every table whose rows belong to a load, but none an analyst added without a load_id.
            let tables = try await warehouse.runSQL("""
                SELECT table_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_name = 'load_id' AND table_name <> 'loads'
                """, doing: doing).map { try $0["table_name"].decode(String.self) }
            for table in tables {
                try await warehouse.run("DELETE FROM \(unescaped: "\"" + table + "\"") WHERE load_id = \(previous)", doing: doing)
            }
            try await warehouse.run("UPDATE loads SET status = 'replaced', replaced_by = \(loadID) WHERE load_id = \(previous)", doing: doing)
        }
        try await warehouse.run("""
            UPDATE loads SET status = 'current', source_sha256 = \(entry.sourceSHA256), sources = \(entry.sourcesJSON),
              rows_read = \(entry.rowsRead), rows_loaded = \(entry.rowsLoaded), rows_quarantined = \(entry.rowsQuarantined),
              findings = \(entry.findings), key_fingerprint = \(entry.keyFingerprint), schema_version = \(entry.schemaVersion),
              run_id = \(entry.runID), loaded_at = \(entry.loadedAt), replaces = \(previous)
            WHERE load_id = \(loadID)
            """, doing: doing)
        try await warehouse.runSQL("COMMIT", doing: doing)
        finished = true
        return previous
    }

    func rollback() async {
        guard !finished else { return }
        finished = true
        await warehouse.feed.abandon()
        _ = try? await warehouse.runSQL("ROLLBACK", doing: "rolling back the load of \(key)")
    }
}
