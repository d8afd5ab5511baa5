/// A value bound into a warehouse row.
public enum SQLValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int)
}

/// Rows for one regional table, values in the order of the table's columns.
public struct RowBatch: Sendable {
    public var table: RegionalTable
    public var rows: [[SQLValue]]

    public init(table: RegionalTable, rows: [[SQLValue]]) {
        self.table = table
        self.rows = rows
    }
}
