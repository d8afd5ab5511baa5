import CSQLite

/// A set of key digests whose memory stays flat however many keys a return holds: keys are kept in
/// memory up to `threshold`, then moved to a private temporary database on disk (SQLite's own
/// temporary file, deleted when the set goes) and looked up there.
public final class KeySet {
    private var memory = Set<KeyHash>()
    private var disk: DiskKeys?
    let threshold: Int

    public init(threshold: Int = 100_000) { self.threshold = threshold }

    public var isOnDisk: Bool { disk != nil }

    /// Adds a key; returns whether it was new.
    public func insert(_ key: KeyHash) -> Bool {
        if let disk { return disk.insert(key.value) }
        let inserted = memory.insert(key).inserted
        if memory.count > threshold, let spilled = DiskKeys() {
            for key in memory { _ = spilled.insert(key.value) }
            memory = []
            disk = spilled
        }
        return inserted
    }

    public func contains(_ key: KeyHash) -> Bool {
        if let disk { return disk.contains(key.value) }
        return memory.contains(key)
    }
}

/// Key digests in a temporary SQLite database: one table with the digest as its primary key.
private final class DiskKeys {
    private let db: OpaquePointer
    private let insertStatement: OpaquePointer
    private let findStatement: OpaquePointer

    init?() {
        var handle: OpaquePointer?
        // An empty file name is SQLite's private temporary database on disk, removed on close.
        guard sqlite3_open_v2("", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            return nil
        }
        db = handle
        for pragma in ["PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -4096",
                       "CREATE TABLE k (h INTEGER PRIMARY KEY)", "BEGIN"] {
            sqlite3_exec(db, pragma, nil, nil, nil)
        }
        var insert: OpaquePointer?, find: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO k (h) VALUES (?)", -1, &insert, nil)
        sqlite3_prepare_v2(db, "SELECT 1 FROM k WHERE h = ?", -1, &find, nil)
        guard let insert, let find else {
            sqlite3_close(db)
            return nil
        }
        insertStatement = insert
        findStatement = find
    }

    deinit {
        sqlite3_finalize(insertStatement)
        sqlite3_finalize(findStatement)
        sqlite3_close(db)
    }

    func insert(_ value: UInt64) -> Bool {
        sqlite3_bind_int64(insertStatement, 1, Int64(bitPattern: value))
        sqlite3_step(insertStatement)
        sqlite3_reset(insertStatement)
        return sqlite3_changes(db) == 1
    }

    func contains(_ value: UInt64) -> Bool {
        sqlite3_bind_int64(findStatement, 1, Int64(bitPattern: value))
        let found = sqlite3_step(findStatement) == SQLITE_ROW
        sqlite3_reset(findStatement)
        return found
    }
}
