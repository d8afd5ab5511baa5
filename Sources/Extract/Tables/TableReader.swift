import RCCCore

/// Reads the records of one recognised table from a delimited source, in batches, with cells in
/// the order of the spec's fields: trimmed, blank cells as nil, extra columns left out.
public final class TableReader {
    public let match: TableRecognizer.Match
    public var spec: InputSpec { match.spec }
    public var path: String { csv.path }
    public var encoding: String { csv.encoding }
    public private(set) var rowsRead = 0

    private let csv: CSVReader
    private let headerWidth: Int

    public init(csv: CSVReader, match: TableRecognizer.Match, headerWidth: Int) {
        self.csv = csv
        self.match = match
        self.headerWidth = headerWidth
    }

    /// Up to `size` records, or nil when the source is finished. A record whose shape does not
    /// match the header carries a `problem` and is quarantined by validation.
    public func nextBatch(size: Int) throws -> [Record]? {
        var records: [Record] = []
        records.reserveCapacity(size)
        while records.count < size, let row = try csv.next() {
            rowsRead += 1
            var cells = [String?](repeating: nil, count: match.columns.count)
            for (i, column) in match.columns.enumerated() {
                guard let column, column < row.fields.count else { continue }
                let value = row.fields[column].trimmingCharacters()
                cells[i] = value.isEmpty ? nil : value
            }
            var problem = row.problem
            if problem == nil && row.fields.count != headerWidth {
                problem = "the row has \(row.fields.count) fields where the header has \(headerWidth)"
            }
            records.append(Record(row: row.row, cells: cells, problem: problem))
        }
        return records.isEmpty ? nil : records
    }
}
