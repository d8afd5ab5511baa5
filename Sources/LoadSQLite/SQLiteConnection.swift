import CSQLite
import RCCCore

/// A thin, synchronous wrapper over one libsqlite3 connection. Errors name the statement's
/// purpose, never bound values.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String

    let busyTimeoutMilliseconds: Int32

    /// Set once a process, before its first connection: rcc reads none of SQLite's memory statistics, and
    /// keeping them took a process-wide lock around each of SQLite's allocations (3% of a CSV ingest's
    /// samples went on that lock). Without effect if SQLite was in use already.
    private static let configured: Bool = rcc_sqlite_no_memory_statistics() == SQLITE_OK

    init(path: String, busyTimeoutMilliseconds: Int32 = 30_000) throws {
        _ = Self.configured
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "status \(status)"
            sqlite3_close(db)
            throw RCCError(.warehouse, "cannot open SQLite warehouse \(path): \(message)")
        }
        handle = db
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit { sqlite3_close_v2(handle) }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw error(status, text, doing: String(sql.prefix(60)))
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw error(status, lastError, doing: String(sql.prefix(60)))
        }
        return SQLiteStatement(statement, connection: self)
    }

    func error(_ status: Int32, _ message: String, doing: String) -> RCCError {
        if status == SQLITE_BUSY || status == SQLITE_LOCKED {
            return RCCError(.warehouse, "SQLite warehouse \(path) is busy: another rcc is loading into it (waited \(busyTimeoutMilliseconds / 1000) s)")
        }
        return RCCError(.warehouse, "SQLite warehouse \(path): \(message) (while running: \(doing)…)")
    }
}

/// A prepared statement, bound and stepped row by row, reset for reuse.
final class SQLiteStatement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ values: [SQLValue]) {
        for (i, value) in values.enumerated() { bind(value, at: Int32(i + 1)) }
    }

    func bind(_ value: SQLValue, at index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let n): sqlite3_bind_int64(handle, index, Int64(n))
        case .text(let s):
            var s = s
            s.withUTF8 { buffer in
                _ = sqlite3_bind_text(handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                      Int32(buffer.count), rcc_sqlite_transient())
            }
        }
    }

    /// Runs a statement that returns no rows, then resets it for reuse.
    func run(_ values: [SQLValue] = []) throws {
        bind(values)
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard status == SQLITE_DONE || status == SQLITE_ROW else {
            throw connection.error(status, connection.lastError, doing: String(cString: sqlite3_sql(handle)).prefix(60).description)
        }
    }

    /// Runs a query and returns every row.
    func query(_ values: [SQLValue] = []) throws -> [[SQLValue]] {
        bind(values)
        defer { sqlite3_reset(handle) }
        var rows: [[SQLValue]] = []
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else {
                throw connection.error(status, connection.lastError, doing: "query")
            }
            let count = sqlite3_column_count(handle)
            rows.append((0..<count).map { column in
                switch sqlite3_column_type(handle, column) {
                case SQLITE_NULL: .null
                case SQLITE_INTEGER: .integer(Int(sqlite3_column_int64(handle, column)))
                default: .text(String(cString: sqlite3_column_text(handle, column)))
                }
            })
        }
        return rows
    }
}
