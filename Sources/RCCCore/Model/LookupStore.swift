import CSQLite
import Foundation

/// The few raw fields a table's rows are looked up by (a child's DOB, by child), kept flat in memory up
/// to `threshold` rows, then moved to a database file in the run's private folder. The file is unlinked
/// as soon as it is open, so it never outlives the process, even a killed one, and never leaves the
/// private folder: these are raw values. Without a folder, nothing spills.
///
/// Once filled, it may be read (`get`) from several threads at once: reads change nothing in memory, and
/// the file's look-ups take its lock. Adding (`set`) is for one thread, with no reads at the same time.
public final class LookupStore {
    private let width: Int
    private let threshold: Int
    private let spillFolder: String?
    private var index: [KeyHash: Int32] = [:]
    /// The rows' values, `chunkRows` rows a chunk: one flat array would, each time it grows, hold its old
    /// and its new copy at once (tens of megabytes at the threshold), where a new chunk is only a chunk.
    private var chunks: [[String?]] = []
    private var count = 0
    private static let chunkRows = 4_096
    private var disk: DiskLookups?

    public init(width: Int, spillFolder: String?, threshold: Int = 200_000) {
        self.width = max(width, 1)
        self.spillFolder = spillFolder
        self.threshold = threshold
    }

    public var isOnDisk: Bool { disk != nil }

    public func set(_ key: KeyHash, _ row: [String?]) {
        if let disk { disk.set(key.value, row); return }
        let at: Int
        if let known = index[key] {
            at = Int(known)
        } else {
            at = count
            index[key] = Int32(at)
            count += 1
            if at % Self.chunkRows == 0 {
                chunks.append([])
                chunks[chunks.count - 1].reserveCapacity(Self.chunkRows * width)
            }
            chunks[chunks.count - 1].append(contentsOf: repeatElement(nil, count: width))
        }
        let start = (at % Self.chunkRows) * width
        for field in 0..<width { chunks[at / Self.chunkRows][start + field] = field < row.count ? row[field] : nil }
        if index.count > threshold, let folder = spillFolder, let spilled = DiskLookups(folder: folder, width: width) {
            for (key, at) in index {
                let start = (Int(at) % Self.chunkRows) * width
                spilled.set(key.value, Array(chunks[Int(at) / Self.chunkRows][start..<start + width]))
            }
            index = [:]
            chunks = []
            count = 0
            disk = spilled
        }
    }

    public func get(_ key: KeyHash, field: Int) -> String? {
        if let disk { return disk.get(key.value)?[field] ?? nil }
        guard let at = index[key].map(Int.init) else { return nil }
        return chunks[at / Self.chunkRows][(at % Self.chunkRows) * width + field]
    }
}

/// Rows of raw values in an unlinked SQLite file: key digest → one column a field, NULL for blank.
///
/// A look-up binds, steps and resets the file's one read statement, so two threads looking up at once
/// (the sequence rules' workers reading last year's return) would garble each other's: each `get` and
/// `set` holds `lock`. (A second connection to read with cannot be opened: the file has no name.)
private final class DiskLookups {
    private let table: ScratchTable
    private let width: Int
    private let lock = NSLock()

    init?(folder: String, width: Int) {
        self.width = width
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent("lookups-\(UUID().uuidString).sqlite")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else { return nil }
        let columns = (0..<width).map { "v\($0)" }
        guard let table = ScratchTable(
            path: path,
            create: "CREATE TABLE l (h INTEGER PRIMARY KEY, \(columns.map { $0 + " TEXT" }.joined(separator: ", ")))",
            write: "INSERT OR REPLACE INTO l (h, \(columns.joined(separator: ", "))) VALUES (?\(String(repeating: ", ?", count: width)))",
            read: "SELECT \(columns.joined(separator: ", ")) FROM l WHERE h = ?",
            // The file is open and held: remove its name so nothing of it can remain.
            afterOpen: { unlink(path) }) else { return nil }
        self.table = table
    }

    func set(_ key: UInt64, _ row: [String?]) {
        lock.lock()
        defer { lock.unlock() }
        sqlite3_bind_int64(table.write, 1, Int64(bitPattern: key))
        for (i, value) in row.enumerated() {
            if let value {
                _ = value.withCString { sqlite3_bind_text(table.write, Int32(i + 2), $0, -1, rcc_sqlite_transient()) }
            } else {
                sqlite3_bind_null(table.write, Int32(i + 2))
            }
        }
        sqlite3_step(table.write)
        sqlite3_reset(table.write)
    }

    func get(_ key: UInt64) -> [String?]? {
        lock.lock()
        defer { lock.unlock() }
        sqlite3_bind_int64(table.read, 1, Int64(bitPattern: key))
        defer { sqlite3_reset(table.read) }
        guard sqlite3_step(table.read) == SQLITE_ROW else { return nil }
        return (0..<width).map { i in sqlite3_column_text(table.read, Int32(i)).map { String(cString: $0) } }
    }
}
