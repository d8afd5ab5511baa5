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

    /// Some children's rows: `rows` holds them child after child, and `children` each child's pseudonym and
    /// where its rows are in `rows`.
    public struct Chunk: Sendable {
        public var children: [(child: String, rows: Range<Int>)] = []
        public var rows: [Row] = []
    }

    private let table: ScratchTable
    private let width: Int
    /// The tables rows have been added of.
    public var tables: Set<String> { Set(tableNames) }
    /// The tables and sources rows have been added of, each kept once here: the file holds their place in
    /// these lists, and reading a row gives back the String kept here rather than making a new one.
    private var tableNames: [String] = [], sourceNames: [String] = []
    private var tableIDs: [String: Int] = [:], sourceIDs: [String: Int] = [:]

    public init?(folder: String, width: Int) {
        self.width = width
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent("sequence-\(UUID().uuidString).sqlite")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else { return nil }
        let columns = (0..<width).map { "v\($0)" }
        guard let table = ScratchTable(
            path: path,
            create: "CREATE TABLE s (child TEXT NOT NULL, tab INTEGER NOT NULL, source INTEGER NOT NULL, row INTEGER NOT NULL, leaf INTEGER NOT NULL\(columns.map { ", \($0) TEXT" }.joined()))",
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
        func id(_ name: String, in ids: inout [String: Int], _ names: inout [String]) -> Int {
            if let known = ids[name] { return known }
            names.append(name)
            ids[name] = names.count - 1
            return names.count - 1
        }
        bind(1, child)
        sqlite3_bind_int64(table.write, 2, Int64(id(tableID, in: &tableIDs, &tableNames)))
        sqlite3_bind_int64(table.write, 3, Int64(id(source, in: &sourceIDs, &sourceNames)))
        sqlite3_bind_int64(table.write, 4, Int64(row))
        sqlite3_bind_int64(table.write, 5, Int64(leaf))
        for i in 0..<width { bind(Int32(i + 6), i < cells.count ? cells[i] : nil) }
        sqlite3_step(table.write)
        sqlite3_reset(table.write)
    }

    /// The children's rows, `size` children at a time, in order (children by pseudonym, each child's rows in
    /// the order they were added): `body` gets each chunk once, on this thread. Only one chunk is held here.
    public func forEachChunk(of size: Int, _ body: (Chunk) -> Void) {
        defer { sqlite3_reset(table.read) }
        let read = table.read
        var chunk = Chunk()
        // The child whose rows are being read, as SQLite gave it: the next row's child is compared byte by
        // byte, without making a String of it every row.
        var current: [UInt8] = []
        var start = 0
        func text(_ i: Int32) -> String? {
            guard let bytes = sqlite3_column_text(read, i) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(read, i))), as: UTF8.self)
        }
        func endChild() {
            guard chunk.rows.count > start else { return }
            chunk.children.append((String(decoding: current, as: UTF8.self), start..<chunk.rows.count))
            start = chunk.rows.count
        }
        while sqlite3_step(read) == SQLITE_ROW {
            let child = UnsafeBufferPointer(start: sqlite3_column_text(read, 0), count: Int(sqlite3_column_bytes(read, 0)))
            if !child.elementsEqual(current) {
                endChild()
                if chunk.children.count == size {
                    body(chunk)
                    chunk = Chunk()
                    start = 0
                }
                current = Array(child)
            }
            chunk.rows.append(Row(table: tableNames[Int(sqlite3_column_int64(read, 1))],
                                  source: sourceNames[Int(sqlite3_column_int64(read, 2))],
                                  row: Int(sqlite3_column_int64(read, 3)), leaf: Int(sqlite3_column_int64(read, 4)),
                                  cells: (0..<width).map { text(Int32($0 + 5)) }))
        }
        endChild()
        if !chunk.children.isEmpty { body(chunk) }
    }
}
