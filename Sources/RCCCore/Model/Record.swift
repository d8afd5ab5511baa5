/// One row of one input table, its cells in the order of the table's spec fields.
///
/// Cells hold the text as read (trimmed); `nil` marks a blank cell. `row` is the
/// spreadsheet row number in the source (header = 1).
public struct Record: Sendable {
    public var row: Int
    public var cells: [String?]
    /// Why the row could not be read as written (wrong number of fields, an open quote), if so.
    public var problem: String?

    public init(row: Int, cells: [String?], problem: String? = nil) {
        self.row = row
        self.cells = cells
        self.problem = problem
    }
}

/// Records of one table from one source, moved between stages together.
public struct RecordBatch: Sendable {
    public var spec: InputSpec
    public var source: String
    public var records: [Record]

    public init(spec: InputSpec, source: String, records: [Record]) {
        self.spec = spec
        self.source = source
        self.records = records
    }
}
