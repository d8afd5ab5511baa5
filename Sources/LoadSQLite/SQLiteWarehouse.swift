import CSQLite
import Foundation
import Load
import RCCCore

/// The embedded warehouse: one SQLite file. Loads are `BEGIN IMMEDIATE` transactions, so a second
/// rcc waits for the first (up to the busy timeout) and never interleaves; WAL journalling lets
/// analysts read while a load runs, and a killed load leaves the previous version in place.
public final class SQLiteWarehouse: Warehouse, @unchecked Sendable {
    public let path: String
    private let connection: SQLiteConnection
    private let lock = NSLock()

    public var displayName: String { path }

    /// - Parameter busyTimeoutMilliseconds: how long to wait for another rcc's load to finish.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 30_000) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // A new warehouse file gets 16 KiB pages (SQLite's default is 4 KiB; an existing file keeps its own):
        // a bulk load and the index builds after it move the same bytes in a quarter of the reads and
        // writes (the 2,000,000-row CSV: 1-2 s less system time). Set before WAL mode, which writes the header.
        try connection.execute("PRAGMA page_size = 16384")
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("PRAGMA foreign_keys = ON")
        // 32 MiB of page cache (the default is 2 MiB): index pages stay in memory during a bulk load.
        try connection.execute("PRAGMA cache_size = \(Self.cacheSize)")
    }

    /// The page cache, in SQLite's negative-KiB form.
    static let cacheSize = -32_768

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    public func prepare(_ catalog: SchemaCatalog) async throws {
        try locked {
            try connection.execute(WarehouseSchema.createMigrationsTable)
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let applied = Set(try connection.prepare("SELECT name FROM schema_migrations").query().compactMap {
                    if case .text(let name) = $0[0] { return name } else { return nil }
                })
                let record = try connection.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)")
                let now = ISO8601DateFormatter().string(from: Date())
                for migration in try WarehouseSchema.migrations(for: catalog, dialect: .sqlite, applied: applied) {
                    for statement in migration.statements { try connection.execute(statement) }
                    try record.run([.text(migration.name), .text(now)])
                }
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func currentLoad(of key: ReturnKey) async throws -> LedgerEntry? {
        try locked {
            try readLedger(where: "la = ? AND collection = ? AND collection_year = ? AND status = 'current'",
                           [.text(key.la), .text(key.collection), .integer(key.year)]).first
        }
    }

    public func ledger() async throws -> [LedgerEntry] {
        try locked { try readLedger(where: "1 = 1", []) }
    }

    static let ledgerColumns = "load_id, la, collection, collection_year, status, source_sha256, sources, rows_read, rows_loaded, rows_quarantined, findings, key_fingerprint, schema_version, run_id, loaded_at, replaces, replaced_by"

    func readLedger(where condition: String, _ values: [SQLValue]) throws -> [LedgerEntry] {
        let rows = try connection.prepare("SELECT \(Self.ledgerColumns) FROM loads WHERE \(condition) ORDER BY load_id DESC").query(values)
        return rows.map { r in
            func text(_ i: Int) -> String { if case .text(let s) = r[i] { return s }; return "" }
            func int(_ i: Int) -> Int? { if case .integer(let n) = r[i] { return n }; return nil }
            var entry = LedgerEntry(key: ReturnKey(la: text(1), collection: text(2), year: int(3) ?? 0),
                                    sourceSHA256: text(5), sourcesJSON: text(6), rowsRead: int(7) ?? 0,
                                    rowsLoaded: int(8) ?? 0, rowsQuarantined: int(9) ?? 0, findings: int(10) ?? 0,
                                    keyFingerprint: text(11), schemaVersion: text(12), runID: text(13), loadedAt: text(14))
            entry.loadID = int(0)
            entry.status = LedgerEntry.Status(rawValue: text(4)) ?? .replaced
            entry.replaces = int(15)
            entry.replacedBy = int(16)
            return entry
        }
    }

    public func beginLoad(_ key: ReturnKey) async throws -> any LoadTransaction {
        try locked {
            try connection.execute("BEGIN IMMEDIATE")
            do {
                // A placeholder ledger row gives the version its id; commit fills it in.
                try connection.prepare("""
                    INSERT INTO loads (la, collection, collection_year, status, source_sha256, sources, rows_read,
                      rows_loaded, rows_quarantined, findings, key_fingerprint, schema_version, run_id, loaded_at)
                    VALUES (?, ?, ?, 'loading', '', '', 0, 0, 0, 0, '', '', '', '')
                    """).run([.text(key.la), .text(key.collection), .integer(key.year)])
                let id = Int(sqlite3_last_insert_rowid_shim(connection))
                return SQLiteLoadTransaction(warehouse: self, connection: connection, key: key, loadID: id)
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func query(_ sql: String) async throws -> [[SQLValue]] {
        try locked {
            let statement = try connection.prepare(sql)
            guard sqlite3_stmt_readonly(statement.handle) != 0 else {
                throw RCCError(.warehouse, "SQLite warehouse \(path): refused a statement that writes (while running: \(sql.prefix(60))…)")
            }
            return try statement.query()
        }
    }

    public func close() async {}
}
