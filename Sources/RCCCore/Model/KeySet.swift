import CSQLite

/// A set of key digests whose memory stays flat however many keys a return holds: keys are kept in
/// memory up to `threshold`, then moved to a private temporary database on disk (SQLite's own
/// temporary file, deleted when the set goes) and looked up there.
public final class KeySet {
    private var memory = Set<KeyHash>()
    private var disk: DiskKeys?
    let threshold: Int

    public init(threshold: Int = 400_000) { self.threshold = threshold }

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

/// Key digests in SQLite's private temporary database: one table with the digest as its primary key.
private final class DiskKeys {
    private let table: ScratchTable

    init?() {
        guard let table = ScratchTable(path: "", create: "CREATE TABLE k (h INTEGER PRIMARY KEY)",
                                       write: "INSERT OR IGNORE INTO k (h) VALUES (?)",
                                       read: "SELECT 1 FROM k WHERE h = ?") else { return nil }
        self.table = table
    }

    func insert(_ value: UInt64) -> Bool {
        sqlite3_bind_int64(table.write, 1, Int64(bitPattern: value))
        sqlite3_step(table.write)
        sqlite3_reset(table.write)
        return sqlite3_changes(table.db) == 1
    }

    func contains(_ value: UInt64) -> Bool {
        sqlite3_bind_int64(table.read, 1, Int64(bitPattern: value))
        let found = sqlite3_step(table.read) == SQLITE_ROW
        sqlite3_reset(table.read)
        return found
    }
}
