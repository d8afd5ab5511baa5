import CSQLite
import Foundation

/// The rows a return's sequence rules read (a child's episodes, in order, and its rows of the other tables
/// those rules read), kept in a scratch SQLite file in the run's private folder, unlinked as soon as it is
/// open: a return of any size is gone through child by child in flat memory. Each row: the child's
/// pseudonym (the grouping key; never a raw id), its table, where the row came from, and the canonical
/// values of the fields the rules need (as many as the table's rules need, the rest blank).
public final class SequenceStore {
    public struct Row: Sendable {
        public var table: String
        public var source: String
        public var row: Int
        /// The summary entry of the source (its leaf index).
        public var leaf: Int
        public var cells: [String?]
    }

    private let table: ScratchTable
    private let width: Int
    /// The tables rows have been added of.
    public private(set) var tables: Set<String> = []

    public init?(folder: String, width: Int) {
        self.width = width
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent("sequence-\(UUID().uuidString).sqlite")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else { return nil }
        let columns = (0..<width).map { "v\($0)" }
        guard let table = ScratchTable(
            path: path,
            create: "CREATE TABLE s (child TEXT NOT NULL, tab TEXT NOT NULL, source TEXT NOT NULL, row INTEGER NOT NULL, leaf INTEGER NOT NULL\(columns.map { ", \($0) TEXT" }.joined()))",
            write: "INSERT INTO s VALUES (?, ?, ?, ?, ?\(String(repeating: ", ?", count: width)))",
            read: "SELECT child, tab, source, row, leaf\(columns.map { ", " + $0 }.joined()) FROM s ORDER BY child, rowid",
            afterOpen: { unlink(path) }) else { return nil }
        self.table = table
    }

    public func add(child: String, table tableID: String, source: String, row: Int, leaf: Int, cells: [String?]) {
        func bind(_ i: Int32, _ text: String?) {
            if let text {
                _ = text.withCString { sqlite3_bind_text(table.write, i, $0, -1, rcc_sqlite_transient()) }
            } else {
                sqlite3_bind_null(table.write, i)
            }
        }
        tables.insert(tableID)
        bind(1, child)
        bind(2, tableID)
        bind(3, source)
        sqlite3_bind_int64(table.write, 4, Int64(row))
        sqlite3_bind_int64(table.write, 5, Int64(leaf))
        for i in 0..<width { bind(Int32(i + 6), i < cells.count ? cells[i] : nil) }
        sqlite3_step(table.write)
        sqlite3_reset(table.write)
    }

    /// Calls `body` once per child, with the child's pseudonym and its rows in the order they were added.
    public func forEachChild(_ body: (String, [Row]) -> Void) {
        defer { sqlite3_reset(table.read) }
        var current: String?
        var rows: [Row] = []
        func text(_ i: Int32) -> String? { sqlite3_column_text(table.read, i).map { String(cString: $0) } }
        while sqlite3_step(table.read) == SQLITE_ROW {
            let child = text(0) ?? ""
            if child != current {
                if let current { body(current, rows) }
                current = child
                rows.removeAll(keepingCapacity: true)
            }
            rows.append(Row(table: text(1) ?? "", source: text(2) ?? "", row: Int(sqlite3_column_int64(table.read, 3)),
                            leaf: Int(sqlite3_column_int64(table.read, 4)), cells: (0..<width).map { text(Int32($0 + 5)) }))
        }
        if let current { body(current, rows) }
    }
}
