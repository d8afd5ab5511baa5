import RCCCore

/// A rule over one child's rows of a table taken together, in order: what the rule language cannot say
/// because it needs the row before or after, or all of a child's rows. Each is Swift, one rule a file,
/// registered here by the id of its entry in `schemas/rules/` (`kind: sequence`), which holds everything
/// else about it (DfE code, message, severity, table, fields, years, cases).
public protocol SequenceRule: Sendable {
    /// The fields it reads, in the order `check` gets them in each row's cells.
    static var fields: [String] { get }
    /// The indexes of the rows (in the order given) that break the rule. Values are canonical (ISO dates).
    static func failing(_ rows: [[String?]]) -> [Int]
}

public enum SequenceRules {
    /// Every sequence rule, by the id of its entry in `schemas/rules/`: one list per group of tables.
    public static let registry: [String: any SequenceRule.Type] = episodes
        .merging(otherTables) { first, _ in first }
        .merging(cin) { first, _ in first }

    /// A sequence rule ready to run: its entry in `schemas/rules/` and its Swift.
    public struct Compiled: Sendable {
        public let spec: RuleSpec
        /// The Swift of a rule over this year's rows alone…
        public let implementation: (any SequenceRule.Type)?
        /// …or of one that also reads the child's row last year (its first field is CHILD).
        public let previousYear: (any PreviousYearSequenceRule)?
        /// Where each of its fields sits in the table's rows.
        public let indexes: [Int]

        public func failing(_ rows: [[String?]]) -> [Int] { failing(rows, previous: nil) }

        /// The rows that break the rule; a rule reading last year's return finds none without it.
        public func failing(_ rows: [[String?]], previous: PreviousReturn?, postcodes: PostcodeDirectory? = nil) -> [Int] {
            if let implementation { return implementation.failing(rows) }
            guard let rule = previousYear, let previous, let child = rows.first?.first ?? nil else { return [] }
            let table = rule.lastTable ?? spec.table
            var last: [String?]?
            if let row = previous.row(table: table, child: child) {
                let kept = previous.fields(of: table)
                last = rule.lastFields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }
            }
            return rule.failing(rows.map { Array($0.dropFirst()) }, last: last, postcodes: postcodes)
        }
    }

    public static func compile(_ spec: RuleSpec, input: InputSpec) throws -> Compiled {
        guard spec.action == .finding else {
            throw RCCError(.schema, "sequence rule \(spec.id) must be action: finding (its rows are loaded before it runs)")
        }
        func indexes(_ fields: [String]) throws -> [Int] {
            try fields.map { name -> Int in
                guard let i = input.index(of: name) else { throw RCCError(.schema, "sequence rule \(spec.id) reads \(name), which \(input.id) has not") }
                return i
            }
        }
        if let rule = previousYear[spec.id] {
            guard spec.needs?.contains("previous-year") ?? false else {
                throw RCCError(.schema, "rule \(spec.id) reads last year's return but does not say needs: [previous-year]")
            }
            return Compiled(spec: spec, implementation: nil, previousYear: rule, indexes: try indexes(["CHILD"] + rule.fields))
        }
        guard let implementation = registry[spec.id] else {
            throw RCCError(.schema, "rule \(spec.id) is kind: sequence but no Swift rule is registered by that id (Validate/Sequences)")
        }
        return Compiled(spec: spec, implementation: implementation, previousYear: nil, indexes: try indexes(implementation.fields))
    }

    /// The sequence rules of `table` in force in `year` whose reference data (if any) is `available`.
    public static func rules(for table: String, catalog: SchemaCatalog, year: Int, available: Set<String> = []) throws -> [Compiled] {
        guard let input = catalog.input(table) else { return [] }
        return try catalog.rules(for: table).filter { $0.kind == .sequence && $0.isInForce(in: year) && $0.canRun(with: available) }
            .map { try compile($0, input: input) }
    }

    /// Rows ordered by one date field (ISO text orders as dates do), blanks last, ties in the order given.
    static func ordered(_ rows: [[String?]], by field: Int) -> [Int] { ordered(rows, by: [field]) }

    /// Rows ordered by the first field, then the next where they tie, and so on; blanks last in each;
    /// ties in all of them in the order given.
    static func ordered(_ rows: [[String?]], by fields: [Int]) -> [Int] {
        func before(_ x: String?, _ y: String?) -> Bool? {
            switch (x, y) {
            case let (x?, y?): x == y ? nil : x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): nil
            }
        }
        return rows.indices.sorted { a, b in
            for field in fields { if let order = before(rows[a][field], rows[b][field]) { return order } }
            return a < b
        }
    }
}
