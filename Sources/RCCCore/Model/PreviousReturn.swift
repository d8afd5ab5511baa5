/// The same LA's return of the year before, as the rules that compare a child with last year read it
/// (`needs: [previous-year]`): per table, per child, the few fields those rules name, from the child's
/// latest row (by the table's start date: the open episode, the last missing period; a table of one row a
/// child has just that row). Children are found by their raw LA identifier, hashed; the values are raw and
/// live only for the run, in memory or in an unlinked file in the run's private folder (`LookupStore`).
public final class PreviousReturn {
    /// The previous return's own key (the LA and collection of the return checked, the year before).
    public let key: ReturnKey
    /// Per table: the fields kept, and which of them orders a child's rows (nil: one row a child).
    private let kept: [String: (fields: [String], orderedBy: Int?)]
    private var stores: [String: LookupStore] = [:]
    /// Tables of which every row of a child is kept too (`rows(table:child:)`), and those rows, encoded.
    private let everyRow: Set<String>
    private var histories: [String: LookupStore] = [:]
    private let spillFolder: String?
    /// Rows read, per table.
    public private(set) var rows: [String: Int] = [:]
    /// The postcodes last year's rows name (packed, see `PostcodeDirectory.key`), for the rules that
    /// derive last year's placement LA and distance; filled by the reader when they are wanted.
    public var postcodes: Set<UInt64> = []

    /// - Parameters:
    ///   - fields: per table, the fields to keep.
    ///   - orderedBy: per table with several rows a child, the date field whose latest row is kept.
    ///   - everyRow: tables of which every row of a child is kept as well as the latest (their kept fields).
    public init(key: ReturnKey, fields: [String: [String]], orderedBy: [String: String], spillFolder: String?,
                everyRow: Set<String> = []) {
        self.key = key
        self.spillFolder = spillFolder
        self.everyRow = everyRow
        var kept: [String: (fields: [String], orderedBy: Int?)] = [:]
        for (table, names) in fields {
            var names = names
            if let order = orderedBy[table], !names.contains(order) { names.append(order) }
            kept[table] = (names, orderedBy[table].flatMap { names.firstIndex(of: $0) })
        }
        self.kept = kept
    }

    /// The tables it keeps.
    public var tables: Set<String> { Set(kept.keys) }

    /// The fields kept of `table`, in the order `row` gives them.
    public func fields(of table: String) -> [String] { kept[table]?.fields ?? [] }

    /// Adds a row of `table` for `child` (values by field name, canonical: ISO dates). A child's later
    /// row (by the table's date; the later one in the file when they tie) replaces an earlier one.
    public func add(table: String, child: String?, values: (String) -> String?) {
        guard let child, let (fields, orderedBy) = kept[table] else { return }
        rows[table, default: 0] += 1
        let store = stores[table] ?? LookupStore(width: fields.count + 1, spillFolder: spillFolder)
        stores[table] = store
        let hash = KeyHash([child] as [String?])
        let row = fields.map(values)
        if everyRow.contains(table) {
            let history = histories[table] ?? LookupStore(width: 1, spillFolder: spillFolder)
            histories[table] = history
            // A separator inside a value (a control character no field holds, but a file may) becomes U+FFFD,
            // so that a child's rows always split back into rows of the same width.
            let encoded = row.map { ($0 ?? "").replacingOccurrences(of: Self.cellSeparator, with: "\u{FFFD}")
                .replacingOccurrences(of: Self.rowSeparator, with: "\u{FFFD}") }.joined(separator: Self.cellSeparator)
            history.set(hash, [history.get(hash, field: 0).map { $0 + Self.rowSeparator + encoded } ?? encoded])
        }
        if let orderedBy, store.get(hash, field: 0) != nil {
            let known = store.get(hash, field: orderedBy + 1)
            // Blank dates sort first: a dated row is later than an undated one.
            if let new = row[orderedBy] {
                if let known, new < known { return }
            } else if known != nil {
                return
            }
        }
        store.set(hash, ["1"] + row)
    }

    /// Whether the child has a row of `table` in the previous return.
    public func has(table: String, child: String?) -> Bool {
        guard let child else { return false }
        return stores[table]?.get(KeyHash([child] as [String?]), field: 0) != nil
    }

    /// A kept field of the child's (latest) row of `table`; nil when blank or when the child has none.
    public func value(table: String, child: String?, field: String) -> String? {
        guard let child, let index = kept[table]?.fields.firstIndex(of: field) else { return nil }
        return stores[table]?.get(KeyHash([child] as [String?]), field: index + 1)
    }

    private static let cellSeparator = "\u{1F}", rowSeparator = "\u{1E}"

    /// Every row of the child in `table` (one of `everyRow`), its kept fields in order, in the order read.
    public func rows(table: String, child: String?) -> [[String?]] {
        guard let child, let text = histories[table]?.get(KeyHash([child] as [String?]), field: 0),
              let width = kept[table]?.fields.count else { return [] }
        return text.components(separatedBy: Self.rowSeparator).map { row in
            let cells = row.components(separatedBy: Self.cellSeparator).map { $0.isEmpty ? nil : $0 }
            return cells.count == width ? cells : Array((cells + Array(repeating: nil, count: width)).prefix(width))
        }
    }

    /// The child's (latest) row of `table`, its kept fields in order; nil when the child has none.
    public func row(table: String, child: String?) -> [String?]? {
        guard has(table: table, child: child), let fields = kept[table]?.fields else { return nil }
        return fields.map { value(table: table, child: child, field: $0) }
    }
}
