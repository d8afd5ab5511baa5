import Foundation

/// The rows a return's sequence rules read (a child's episodes, in order, and its rows of the other tables
/// those rules read), grouped by child (`RowsByChild`: in memory up to a budget, then sorted runs in
/// unlinked files of the run's private folder): a return of any size is gone through child by child in flat
/// memory. Each row: the child's pseudonym (the grouping key; never a raw id), its table, where the row came
/// from, and the canonical values of the fields the rules need (as many as the table's rules need, the rest
/// blank).
public final class SequenceStore {
    public struct Row: Sendable {
        public var table: String
        /// The table's place in its chunk's `tables`.
        public var tableID: Int
        public var source: String
        public var row: Int
        /// The summary entry of the source (its leaf index).
        public var leaf: Int
    }

    /// Some children's rows: `rows` holds them child after child, and `children` each child's pseudonym and
    /// where its rows are in `rows`. The rows' cells are one flat array, `width` a row: row `i`'s are
    /// `cells[i * width..<(i + 1) * width]` (one array a chunk rather than one a row, which the sequence
    /// rules read where they lie).
    public struct Chunk: Sendable {
        public var children: [(child: String, rows: Range<Int>)] = []
        public var rows: [Row] = []
        /// The tables of the rows, each once (a row's `tableID` is its place here).
        public var tables: [String] = []
        public var cells: [String?] = []
        public let width: Int

        public init(tables: [String], width: Int) {
            self.tables = tables
            self.width = width
        }

        /// Where row `i`'s cells start in `cells`.
        public func start(of i: Int) -> Int { i * width }

        /// Row `i`'s cells.
        public func cells(of i: Int) -> ArraySlice<String?> { cells[start(of: i)..<start(of: i) + width] }
    }

    private let rows: RowsByChild
    private let width: Int
    /// The tables rows have been added of.
    public var tables: Set<String> { Set(tableNames) }
    /// The tables and sources rows have been added of, each kept once here: a stored row holds their place
    /// in these lists, and reading a row gives back the String kept here rather than making a new one.
    private var tableNames: [String] = [], sourceNames: [String] = []
    private var tableIDs: [String: Int] = [:], sourceIDs: [String: Int] = [:]
    /// The places of the names last added with (-1: none yet).
    private var lastTable = -1, lastSource = -1
    private var payload: [UInt8] = []

    public init(folder: String, width: Int, memoryBudget: Int = 16 << 20) {
        self.width = width
        rows = RowsByChild(folder: folder, memoryBudget: memoryBudget)
    }

    /// Whether rows have gone to disk.
    public var hasSpilled: Bool { rows.hasSpilled }

    /// Adds a row: stored as `table · source · row · leaf` (varints) and each cell (its length plus one,
    /// 0 for blank, then its bytes).
    public func add(child: String, table tableID: String, source: String, row: Int, leaf: Int, cells: [String?]) {
        // The last name's place is kept: a batch's rows are of one table and source, and comparing with
        // the same String is quicker than hashing it (a source is a path) for every row.
        func id(_ name: String, in ids: inout [String: Int], _ names: inout [String], last: inout Int) -> Int {
            if last >= 0, names[last] == name { return last }
            if let known = ids[name] { last = known; return known }
            names.append(name)
            ids[name] = names.count - 1
            last = names.count - 1
            return last
        }
        payload.removeAll(keepingCapacity: true)
        Varint.append(id(tableID, in: &tableIDs, &tableNames, last: &lastTable), to: &payload)
        Varint.append(id(source, in: &sourceIDs, &sourceNames, last: &lastSource), to: &payload)
        Varint.append(row, to: &payload)
        Varint.append(leaf, to: &payload)
        for i in 0..<width {
            guard i < cells.count, var cell = cells[i] else { payload.append(0); continue }
            cell.withUTF8 { bytes in
                Varint.append(bytes.count + 1, to: &payload)
                payload.append(contentsOf: bytes)
            }
        }
        rows.add(child: child, payload: payload)
    }

    /// The children's rows, `size` children at a time, in order (children by pseudonym, each child's rows in
    /// the order they were added): `body` gets each chunk once, on this thread. Only one chunk is held here.
    /// An error `body` throws stops the walk there and is rethrown.
    public func forEachChunk(of size: Int, _ body: (Chunk) throws -> Void) throws {
        // Each chunk holds its own copy of the tables' and sources' names: its rows are made on this thread
        // and freed on the one that ran it, and names shared by every chunk would have their reference
        // counts changed by several threads at once, passing them between cores row after row.
        func unshared(_ names: [String]) -> [String] { names.map { String(decoding: Array($0.utf8), as: UTF8.self) } }
        var tables = unshared(tableNames), sources = unshared(sourceNames)
        let width = self.width
        var chunk = Chunk(tables: tables, width: width)
        try rows.forEachChild { child, payloads in
            let start = chunk.rows.count
            payloads.forEach { bytes in
                var at = 0
                func next() -> Int {
                    let (value, after) = Varint.read(bytes, at: at)!
                    at = after
                    return value
                }
                let tableID = next(), source = sources[next()], row = next(), leaf = next()
                for _ in 0..<width {
                    let length = next()
                    if length == 0 { chunk.cells.append(nil); continue }
                    chunk.cells.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<at + length - 1]), as: UTF8.self))
                    at += length - 1
                }
                chunk.rows.append(Row(table: tables[tableID], tableID: tableID, source: source, row: row, leaf: leaf))
            }
            chunk.children.append((child, start..<chunk.rows.count))
            if chunk.children.count == size {
                try body(chunk)
                tables = unshared(tableNames)
                sources = unshared(sourceNames)
                chunk = Chunk(tables: tables, width: width)
            }
        }
        if !chunk.children.isEmpty { try body(chunk) }
    }
}
