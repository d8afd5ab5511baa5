/// A child's rows of one table as a sequence rule reads them: row after row, each row the rule's fields in
/// the order the rule names them (its `fields`, or its `others[table]`).
///
/// A view, not a copy. The engine lends a rule the rows where they lie: the cells of a chunk of children,
/// one flat array for all of them, with where each of the child's rows starts and where each of the rule's
/// fields sits in a row. Nothing is copied or reference-counted to hand rows to a rule, which the engine
/// does for every rule and every child; as arrays of arrays, made for each rule and child, that was about
/// a tenth of a CSV ingest's CPU (README, Performance).
///
/// So rows the engine lends are good only during the call they are lent to: a rule keeps values (the
/// `String`s it reads), never rows. Rows made from arrays (`RuleRows([[…]])`, an array literal, or
/// `ChildRows` made by hand, as tests and tools do) own a copy of their cells and are good as long as
/// they are kept.
public struct RuleRows: RandomAccessCollection, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The cells, each row's starting at `cells + starts[i]`; the rule's field `k` of a row is the cell
    /// `positions[k]` after its start.
    private let cells: UnsafePointer<String?>
    private let starts: UnsafePointer<Int>
    private let positions: UnsafePointer<Int>
    public let count: Int
    /// The fields of each row.
    public let width: Int
    /// What keeps the cells of rows made from arrays; nil for rows the engine lends.
    private let owner: Storage?

    /// Rows lent where they lie, good while the memory pointed to is: `count` rows starting at `cells +
    /// starts[i]`, each of `width` fields at `positions[0..<width]` after its start.
    init(cells: UnsafePointer<String?>, starts: UnsafePointer<Int>, count: Int, positions: UnsafePointer<Int>, width: Int) {
        self.cells = cells
        self.starts = starts
        self.count = count
        self.positions = positions
        self.width = width
        owner = nil
    }

    /// Rows owning a copy of `rows`, each of as many fields as the longest (a shorter one's last ones blank).
    public init(_ rows: [[String?]]) {
        let storage = Storage(rows)
        cells = UnsafePointer(storage.cells.baseAddress!)
        starts = UnsafePointer(storage.starts.baseAddress!)
        positions = UnsafePointer(storage.positions.baseAddress!)
        count = rows.count
        width = storage.width
        owner = storage
    }

    public init(arrayLiteral rows: [String?]...) { self.init(rows) }

    /// No rows (nothing made: a rule asking for a table the child has no rows of gets these).
    public init() {
        cells = UnsafeRawPointer(Self.nowhere).assumingMemoryBound(to: String?.self)
        starts = UnsafeRawPointer(Self.nowhere).assumingMemoryBound(to: Int.self)
        positions = starts
        count = 0
        width = 0
        owner = nil
    }

    /// Where no rows point: never read (there is no row to read through it).
    nonisolated(unsafe) private static let nowhere = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(i: Int) -> RuleRow {
        precondition(i >= 0 && i < count, "row \(i) of \(count)")
        return RuleRow(cells: cells + starts[i], positions: positions, count: width)
    }

    /// The rows as arrays (for tests and tools).
    public var arrays: [[String?]] { map { Array($0) } }

    public static func == (a: RuleRows, b: RuleRows) -> Bool { a.elementsEqual(b) }

    public var description: String { arrays.description }

    /// The cells of rows made from arrays, laid out as the engine lends them (each row's cells one after
    /// another, its fields in order).
    private final class Storage {
        let cells: UnsafeMutableBufferPointer<String?>
        let starts: UnsafeMutableBufferPointer<Int>
        let positions: UnsafeMutableBufferPointer<Int>
        let width: Int, rowCount: Int

        init(_ rows: [[String?]]) {
            width = rows.map(\.count).max() ?? 0
            rowCount = rows.count
            // At least one of each, so that every pointer is to memory of this storage's own.
            cells = .allocate(capacity: Swift.max(rows.count * width, 1))
            starts = .allocate(capacity: Swift.max(rows.count, 1))
            positions = .allocate(capacity: Swift.max(width, 1))
            var at = 0
            for (i, row) in rows.enumerated() {
                starts[i] = i * width
                for k in 0..<width {
                    (cells.baseAddress! + at).initialize(to: k < row.count ? row[k] : nil)
                    at += 1
                }
            }
            for k in 0..<width { positions[k] = k }
        }

        deinit {
            cells.baseAddress!.deinitialize(count: rowCount * width)
            cells.deallocate()
            starts.deallocate()
            positions.deallocate()
        }
    }
}

/// One of a child's rows as a sequence rule reads it (`RuleRows`): the rule's fields, in its order. Good
/// as long as the rows it is one of.
public struct RuleRow: RandomAccessCollection, Hashable, CustomStringConvertible {
    private let cells: UnsafePointer<String?>
    private let positions: UnsafePointer<Int>
    public let count: Int

    init(cells: UnsafePointer<String?>, positions: UnsafePointer<Int>, count: Int) {
        self.cells = cells
        self.positions = positions
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(k: Int) -> String? {
        precondition(k >= 0 && k < count, "field \(k) of \(count)")
        return cells[positions[k]]
    }

    public static func == (a: RuleRow, b: RuleRow) -> Bool { a.elementsEqual(b) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for cell in self { hasher.combine(cell) }
    }

    public var description: String { Array(self).description }
}
