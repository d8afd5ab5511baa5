import RCCCore

/// Where regional data lands: SQLite on a data team's machine, PostgreSQL on a region's server.
///
/// A return is loaded inside one transaction (`beginLoad` … `commit`): all of its tables or none,
/// and a new version of a return replaces the old one in that same transaction.
public protocol Warehouse: AnyObject, Sendable {
    /// A description safe to print (no password).
    var displayName: String { get }
    /// Creates what is missing and applies pending named migrations derived from the regional schema.
    func prepare(_ catalog: SchemaCatalog) async throws
    /// The version of a return now current, if any.
    func currentLoad(of key: ReturnKey) async throws -> LedgerEntry?
    /// All ledger entries, newest first.
    func ledger() async throws -> [LedgerEntry]
    /// Starts loading a new version of a return; holds the warehouse's write lock until commit or rollback.
    func beginLoad(_ key: ReturnKey) async throws -> any LoadTransaction
    /// Runs one read-only query (SQL built from schema names only, never with values in it) and
    /// returns every row: text, integer or null cells (dates and other types as text). The engine
    /// refuses a statement that writes. Not for use while a load of this same warehouse object is open.
    func query(_ sql: String) async throws -> [[SQLValue]]
    func close() async
}

extension Warehouse {
    /// The profile the warehouse was made with (nil if it is new): see `WarehouseSchema.profile(applied:)`.
    public func profile() async throws -> String? {
        let names = try await query("SELECT name FROM schema_migrations WHERE name LIKE 'profile-%' OR name LIKE 'table-%'")
        return WarehouseSchema.profile(applied: Set(names.compactMap { if case .text(let name) = $0.first { name } else { nil } }))
    }
}

/// One return's load in progress.
public protocol LoadTransaction: AnyObject, Sendable {
    /// The ledger id the loaded rows carry.
    var loadID: Int { get }
    func insert(_ batch: RowBatch) async throws
    /// Records why rows were quarantined, each with the pseudonym of the row's child when it has one.
    func recordQuarantine(_ diagnostics: [(diagnostic: Diagnostic, child: String?)]) async throws
    func recordFindings(_ findings: [(diagnostic: Diagnostic, child: String?)]) async throws
    /// Every row of the return is in (findings and quarantine may still come): the warehouse may do now
    /// the work it would leave for commit, while the caller runs the rules that need every row.
    func rowsComplete() async throws
    /// Writes the ledger entry, retires the version it replaces (deleting its rows), and commits.
    /// Returns the id of the version replaced, if any.
    @discardableResult
    func commit(_ entry: LedgerEntry) async throws -> Int?
    /// Undoes everything since `beginLoad`.
    func rollback() async
}

extension LoadTransaction {
    public func rowsComplete() async throws {}
}
