import Foundation
import Load
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import RCCCore

/// The shared warehouse a region runs: PostgreSQL through postgres-nio, one connection per run.
///
/// Loads and migrations run in transactions that first take a transaction-scoped advisory lock,
/// so a second rcc on the same database waits for the first (up to `lockTimeout`) and never
/// interleaves. Rows arrive by `COPY … FROM STDIN`, a chunk of a table's batches at a time, while the
/// next chunk gathers (`CopyFeed`). A lost connection fails the load; the server rolls back the open
/// transaction, so no partial rows remain.
public final class PostgresWarehouse: Warehouse, @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger
    let lockTimeout: String
    /// The open load's rows on their way in (a COPY a chunk, in the background).
    let feed: CopyFeed

    /// The advisory lock every rcc load and migration takes: `hashtext('rcc-warehouse')`.
    static let lockKey = "hashtext('rcc-warehouse')"

    public var displayName: String { location.description }

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger, lockTimeout: String) {
        self.location = location
        self.connection = connection
        self.logger = logger
        self.lockTimeout = lockTimeout
        self.feed = CopyFeed(connection: connection, logger: logger)
    }

    public static func connect(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                               lockTimeoutSeconds: Int = 30, logger: Logger = Logger(label: "rcc.postgres")) async throws -> PostgresWarehouse {
        let location = try PostgresLocation(url: url, environment: environment)
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw RCCError(.warehouse, "cannot set up TLS for \(location.description): \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: try location.password(environment: environment), database: location.database, tls: tls)
        // Named, so that a server's operators see which sessions are rcc's (pg_stat_activity).
        configuration.options.additionalStartupParameters = [("application_name", "rcc")]
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return PostgresWarehouse(location: location, connection: connection, logger: logger,
                                     lockTimeout: "\(lockTimeoutSeconds)s")
        } catch {
            throw PostgresWarehouse.describe(error, doing: "connecting to \(location.description)")
        }
    }

    /// A failure described by the server's code and message (which can hold only warehouse values:
    /// raw values never reach the server), or postgres-nio's deliberately generic description.
    static func describe(_ error: any Error, doing: String) -> RCCError {
        if let error = error as? RCCError { return error }
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let code = psql.serverInfo?[.sqlState].map { " [\($0)]" } ?? ""
                let state = psql.serverInfo?[.sqlState] ?? ""
                if state == "55P03" {
                    return RCCError(.warehouse, "the PostgreSQL warehouse is busy: another rcc is loading into it (\(doing))")
                }
                // Class 08 (connection exception) and 57P (the server ending sessions): the connection is gone.
                if state.hasPrefix("08") || state.hasPrefix("57P") {
                    return RCCError(.warehouse, "lost the connection to the PostgreSQL warehouse while \(doing) (\(message) [\(state)]); nothing of this load was kept")
                }
                return RCCError(.warehouse, "PostgreSQL warehouse: \(message)\(code) (while \(doing))")
            }
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
                return RCCError(.warehouse, "lost the connection to the PostgreSQL warehouse while \(doing); nothing of this load was kept")
            default:
                return RCCError(.warehouse, "PostgreSQL warehouse error \(psql.code) while \(doing)")
            }
        }
        return RCCError(.warehouse, "PostgreSQL warehouse error while \(doing): \(error)")
    }

    /// Runs SQL text as it is: only for statements built from the schema, never with values in them.
    @discardableResult
    func runSQL(_ sql: String, doing: String) async throws -> [PostgresRandomAccessRow] {
        try await run(PostgresQuery(unsafeSQL: sql), doing: doing)
    }

    @discardableResult
    func run(_ query: PostgresQuery, doing: String) async throws -> [PostgresRandomAccessRow] {
        let connection = self.connection, logger = self.logger
        do {
            // The load's rows go in first: a statement must not run with a COPY in flight.
            if !feed.isIdle { try await feed.flush() }
            return try await ConnectionGuard.run(connection, doing: doing) {
                var rows: [PostgresRandomAccessRow] = []
                for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
                return rows
            }
        } catch {
            throw PostgresWarehouse.describe(error, doing: doing)
        }
    }

    /// Opens a transaction holding the warehouse's advisory lock.
    func beginLocked(doing: String) async throws {
        try await runSQL("BEGIN", doing: doing)
        do {
            try await runSQL("SET LOCAL lock_timeout = '\(lockTimeout)'", doing: doing)
            try await runSQL("SELECT pg_advisory_xact_lock(\(PostgresWarehouse.lockKey))", doing: doing)
        } catch {
            // Leave the session usable: a failed lock wait aborts the transaction.
            _ = try? await runSQL("ROLLBACK", doing: "rolling back")
            throw error
        }
    }

    public func prepare(_ catalog: SchemaCatalog) async throws {
        try await beginLocked(doing: "migrating the warehouse")
        do {
            try await runSQL(WarehouseSchema.createMigrationsTable, doing: "migrating the warehouse")
            let applied = Set(try await runSQL("SELECT name FROM schema_migrations", doing: "reading migrations")
                .map { try $0["name"].decode(String.self) })
            for migration in try WarehouseSchema.migrations(for: catalog, dialect: .postgres, applied: applied) {
                for statement in migration.statements { try await runSQL(statement, doing: "migration \(migration.name)") }
                try await run("INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(ISO8601DateFormatter().string(from: Date())))",
                              doing: "recording migration \(migration.name)")
            }
            try await runSQL("COMMIT", doing: "migrating the warehouse")
        } catch {
            _ = try? await runSQL("ROLLBACK", doing: "rolling back")
            throw error
        }
    }

    static let ledgerColumns = "load_id, la, collection, collection_year, status, source_sha256, sources, rows_read, rows_loaded, rows_quarantined, findings, key_fingerprint, schema_version, run_id, loaded_at, replaces, replaced_by"

    func readLedger(_ query: PostgresQuery) async throws -> [LedgerEntry] {
        try await run(query, doing: "reading the loads ledger").map { r in
            var entry = LedgerEntry(
                key: ReturnKey(la: try r["la"].decode(String.self), collection: try r["collection"].decode(String.self),
                               year: try r["collection_year"].decode(Int.self)),
                sourceSHA256: try r["source_sha256"].decode(String.self), sourcesJSON: try r["sources"].decode(String.self),
                rowsRead: try r["rows_read"].decode(Int.self), rowsLoaded: try r["rows_loaded"].decode(Int.self),
                rowsQuarantined: try r["rows_quarantined"].decode(Int.self), findings: try r["findings"].decode(Int.self),
                keyFingerprint: try r["key_fingerprint"].decode(String.self), schemaVersion: try r["schema_version"].decode(String.self),
                runID: try r["run_id"].decode(String.self), loadedAt: try r["loaded_at"].decode(String.self))
            entry.loadID = try r["load_id"].decode(Int.self)
            entry.status = LedgerEntry.Status(rawValue: try r["status"].decode(String.self)) ?? .replaced
            entry.replaces = try r["replaces"].decode(Int?.self)
            entry.replacedBy = try r["replaced_by"].decode(Int?.self)
            return entry
        }
    }

    public func currentLoad(of key: ReturnKey) async throws -> LedgerEntry? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.ledgerColumns) FROM loads WHERE la = $1 AND collection = $2 AND collection_year = $3 AND status = 'current'")
        query.binds.append(key.la)
        query.binds.append(key.collection)
        query.binds.append(key.year)
        return try await readLedger(query).first
    }

    public func ledger() async throws -> [LedgerEntry] {
        try await readLedger(PostgresQuery(unsafeSQL: "SELECT \(Self.ledgerColumns) FROM loads WHERE status <> 'loading' ORDER BY load_id DESC"))
    }

    public func beginLoad(_ key: ReturnKey) async throws -> any LoadTransaction {
        try await beginLocked(doing: "starting the load of \(key)")
        do {
            let rows = try await run("""
                INSERT INTO loads (la, collection, collection_year, status, source_sha256, sources, rows_read, rows_loaded,
                  rows_quarantined, findings, key_fingerprint, schema_version, run_id, loaded_at)
                VALUES (\(key.la), \(key.collection), \(key.year), 'loading', '', '', 0, 0, 0, 0, '', '', '', '')
                RETURNING load_id
                """, doing: "starting the load of \(key)")
            let id = try rows[0]["load_id"].decode(Int.self)
            return PostgresLoadTransaction(warehouse: self, key: key, loadID: id)
        } catch {
            _ = try? await runSQL("ROLLBACK", doing: "rolling back")
            throw error
        }
    }

    /// Runs in a read-only transaction, so the server refuses any write; each cell is decoded by its
    /// column's type: integers as integers; dates (as `yyyy-mm-dd`), numbers and booleans as text; the rest as text.
    public func query(_ sql: String) async throws -> [[SQLValue]] {
        let doing = "querying the warehouse (\(sql.prefix(60))…)"
        // One SELECT, run as it is: no transaction of its own, so a load open on this connection is
        // never committed or ended by a query (a BEGIN … COMMIT here would commit it).
        let statement = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = statement.prefix(6).uppercased()
        guard head.hasPrefix("SELECT") || head.hasPrefix("WITH"),
              !statement.dropLast(statement.hasSuffix(";") ? 1 : 0).contains(";") else {
            throw RCCError(.warehouse, "PostgreSQL warehouse: query takes one SELECT statement (while \(doing))")
        }
        let rows = try await runSQL(statement, doing: doing)
        var dayFormat = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        dayFormat = dayFormat.year().month().day()
        return try rows.map { row in
            try (0..<row.count).map { index in
                let cell = row[index]
                if cell.bytes == nil { return .null }
                // By the column's type: String's decoder would take an integer's binary bytes as text.
                switch cell.dataType {
                case .int2, .int4, .int8:
                    if let number = try? cell.decode(Int.self) { return .integer(number) }
                case .date:
                    if let date = try? cell.decode(Date.self) { return .text(date.formatted(dayFormat)) }
                case .float4, .float8:
                    if let number = try? cell.decode(Double.self) { return .text(String(number)) }
                case .bool:
                    if let flag = try? cell.decode(Bool.self) { return .text(flag ? "true" : "false") }
                default:
                    if let text = try? cell.decode(String.self) { return .text(text) }
                }
                throw RCCError(.warehouse, "PostgreSQL warehouse: column \(cell.columnName) has a type rcc cannot read (\(cell.dataType)) (while \(doing))")
            }
        }
    }

    public func close() async {
        try? await connection.close()
    }
}
