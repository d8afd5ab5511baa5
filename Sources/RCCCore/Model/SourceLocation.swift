/// Where a record or a problem sits: a source path (archive members joined with `!/`),
/// a row number as a spreadsheet shows it (the header is row 1), and optionally a field.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var source: String
    public var row: Int?
    public var field: String?

    /// The `source` of a problem with the whole return rather than a row of one of its files (an
    /// aggregate rule's finding, which has no row either): empty, which no file's path is.
    public static let wholeReturn = ""

    public init(source: String, row: Int? = nil, field: String? = nil) {
        self.source = source
        self.row = row
        self.field = field
    }

    public func with(field: String?) -> SourceLocation {
        SourceLocation(source: source, row: row, field: field)
    }

    public var description: String {
        var text = source
        if let row { text += ", row \(row)" }
        if let field { text += ", field \(field)" }
        return text
    }
}
