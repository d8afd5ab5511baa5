import CSQLite
import Foundation

/// The few raw fields a table's rows are looked up by (a child's DOB, by child), kept flat in memory up
/// to `threshold` rows, then moved to a database file in the run's private folder. The file is unlinked
/// as soon as it is open, so it never outlives the process, even a killed one, and never leaves the
/// private folder: these are raw values. Without a folder, nothing spills.
public final class LookupStore {
    private let width: Int
    private let threshold: Int
    private let spillFolder: String?
    private var index: [KeyHash: Int32] = [:]
    private var values: [String?] = []
    private var disk: DiskLookups?

    public init(width: Int, spillFolder: String?, threshold: Int = 100_000) {
        self.width = max(width, 1)
        self.spillFolder = spillFolder
        self.threshold = threshold
    }

    public var isOnDisk: Bool { disk != nil }

    public func set(_ key: KeyHash, _ row: [String?]) {
        if let disk { disk.set(key.value, row); return }
        if let at = index[key] {
            let start = Int(at) * width
            values.replaceSubrange(start..<start + width, with: row)
        } else {
            index[key] = Int32(values.count / width)
            values.append(contentsOf: row)
        }
        if index.count > threshold, let folder = spillFolder, let spilled = DiskLookups(folder: folder, width: width) {
            for (key, at) in index {
                let start = Int(at) * width
                spilled.set(key.value, Array(values[start..<start + width]))
            }
            index = [:]
            values = []
            disk = spilled
        }
    }

    public func get(_ key: KeyHash, field: Int) -> String? {
        if let disk { return disk.get(key.value)?[field] ?? nil }
        guard let at = index[key] else { return nil }
        return values[Int(at) * width + field]
    }
}

/// Rows of raw values in an unlinked SQLite file: key digest → one column a field, NULL for blank.
private final class DiskLookups {
    private let db: OpaquePointer
    private let setStatement: OpaquePointer
    private let getStatement: OpaquePointer
    private let width: Int

    init?(folder: String, width: Int) {
        self.width = width
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent("lookups-\(UUID().uuidString).sqlite")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else { return nil }
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            unlink(path)
            return nil
        }
        db = handle
        for statement in ["PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -4096",
                          "CREATE TABLE l (h INTEGER PRIMARY KEY\((0..<width).map { ", v\($0) TEXT" }.joined()))"] {
            sqlite3_exec(db, statement, nil, nil, nil)
        }
        // The file is open and held; remove its name so nothing of it can remain.
        unlink(path)
        sqlite3_exec(db, "BEGIN", nil, nil, nil)
        var set: OpaquePointer?, get: OpaquePointer?
        let columns = (0..<width).map { "v\($0)" }.joined(separator: ", ")
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO l (h, \(columns)) VALUES (?\(String(repeating: ", ?", count: width)))", -1, &set, nil)
        sqlite3_prepare_v2(db, "SELECT \(columns) FROM l WHERE h = ?", -1, &get, nil)
        guard let set, let get else {
            sqlite3_close(db)
            return nil
        }
        setStatement = set
        getStatement = get
    }

    deinit {
        sqlite3_finalize(setStatement)
        sqlite3_finalize(getStatement)
        sqlite3_close(db)
    }

    func set(_ key: UInt64, _ row: [String?]) {
        sqlite3_bind_int64(setStatement, 1, Int64(bitPattern: key))
        for (i, value) in row.enumerated() {
            if let value {
                _ = value.withCString { sqlite3_bind_text(setStatement, Int32(i + 2), $0, -1, rcc_sqlite_transient()) }
            } else {
                sqlite3_bind_null(setStatement, Int32(i + 2))
            }
        }
        sqlite3_step(setStatement)
        sqlite3_reset(setStatement)
    }

    func get(_ key: UInt64) -> [String?]? {
        sqlite3_bind_int64(getStatement, 1, Int64(bitPattern: key))
        defer { sqlite3_reset(getStatement) }
        guard sqlite3_step(getStatement) == SQLITE_ROW else { return nil }
        return (0..<width).map { i in sqlite3_column_text(getStatement, Int32(i)).map { String(cString: $0) } }
    }
}
