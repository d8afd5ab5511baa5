import RCCCore

/// Recognises which input table a header line belongs to, from its column names (and the
/// aliases the specs list), in any order and case.
public struct TableRecognizer: Sendable {
    /// A header matched to a spec: for each spec field, the file column holding it.
    public struct Match: Sendable {
        public let spec: InputSpec
        /// `columns[i]` is the file column of `spec.fields[i]`; nil for a field delimited files do not
        /// carry (`FieldSpec.csv`), whose cells stay blank.
        public let columns: [Int?]
        /// Header names of file columns no spec field uses (kept out, reported once).
        public let extraColumns: [String]
    }

    public enum Outcome: Sendable {
        case recognised(Match)
        /// The header is closest to `spec` but lacks some of its columns (or repeats one).
        case incomplete(spec: InputSpec, problem: String)
        case unrecognised
    }

    private let specs: [InputSpec]
    /// The titles of the tables it knows, for messages.
    public var titles: [String] { specs.map(\.title) }
    private let lookup: [String: [String: Int]]

    public init(specs: [InputSpec]) {
        self.specs = specs
        var lookup: [String: [String: Int]] = [:]
        for spec in specs {
            var names: [String: Int] = [:]
            for (i, field) in spec.fields.enumerated() where field.readsCSV {
                for name in [field.name] + (field.aliases ?? []) { names[HeaderName.normalise(name)] = i }
            }
            lookup[spec.id] = names
        }
        self.lookup = lookup
    }

    public func recognise(header: [String]) -> Outcome {
        let normalised = header.map(HeaderName.normalise)
        var best: (spec: InputSpec, columns: [Int?], duplicates: [String], score: Double)?
        for spec in specs {
            let names = lookup[spec.id]!
            var columns = [Int?](repeating: nil, count: spec.fields.count)
            var duplicates: [String] = []
            for (column, name) in normalised.enumerated() {
                guard let i = names[name] else { continue }
                if columns[i] != nil { duplicates.append(spec.fields[i].name) } else { columns[i] = column }
            }
            let matched = columns.compactMap { $0 }.count
            let wanted = spec.fields.filter(\.readsCSV).count
            // A table with every column present first, then the most columns matched, then the share:
            // a Header missing a column must not pass for UASC, which shares three of its four columns.
            let complete = matched == wanted ? 1.0 : 0.0
            let score = complete * 1_000_000 + Double(matched) * 1_000 + Double(matched) / Double(wanted)
            if matched > 0 && score > (best?.score ?? 0) { best = (spec, columns, duplicates, score) }
        }
        guard let best else { return .unrecognised }
        let matched = best.columns.compactMap { $0 }.count
        let missing = zip(best.spec.fields, best.columns).filter { $0.0.readsCSV && $0.1 == nil }.map(\.0.name)
        if missing.isEmpty && best.duplicates.isEmpty {
            let used = Set(best.columns.compactMap { $0 })
            let extras = header.indices.filter { !used.contains($0) }.map { header[$0].trimmingCharacters() }
            return .recognised(Match(spec: best.spec, columns: best.columns, extraColumns: extras))
        }
        // Half the columns or more (and at least two): surely this table, with a header to fix.
        guard matched * 2 >= best.spec.fields.filter(\.readsCSV).count && matched >= 2 else { return .unrecognised }
        if !best.duplicates.isEmpty {
            return .incomplete(spec: best.spec, problem: "column \(best.duplicates.joined(separator: ", ")) appears more than once")
        }
        return .incomplete(spec: best.spec, problem: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    public func trimmingCharacters() -> String {
        // The usual cell: neither end is a blank (space, tab, CR, LF; a no-break space starts 0xC2):
        // itself, not a copy, and no walk through its characters.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first != 0xC2, last > 0x20, last != 0xA0 {
            return self
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{A0}" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
