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
    /// The same, for rules that need the collection's dates (the engine calls this one; by default it is
    /// `failing(rows)`).
    static func failing(_ rows: [[String?]], in period: CollectionPeriod) -> [Int]
}

extension SequenceRule {
    public static func failing(_ rows: [[String?]], in period: CollectionPeriod) -> [Int] { failing(rows) }
    /// For a rule that implements only the version with the collection's dates.
    public static func failing(_ rows: [[String?]]) -> [Int] { [] }
}

/// The dates of the collection a return belongs to: collection year 2026 (2025-26) runs from 1 April
/// 2025 to 31 March 2026, as `collection_start` and `collection_end` in the rule language.
public struct CollectionPeriod: Sendable, Equatable {
    public let year: Int
    public let start: CivilDate
    public let end: CivilDate

    public init(year: Int) {
        self.year = year
        start = CivilDate(year: year - 1, month: 4, day: 1)!
        end = CivilDate(year: year, month: 3, day: 31)!
    }

    /// As the rows hold dates: ISO text.
    public var startISO: String { start.iso }
    public var endISO: String { end.iso }
}

public enum SequenceRules {
    /// Every sequence rule, by the id of its entry in `schemas/rules/`: one list per group of tables.
    public static let registry: [String: any SequenceRule.Type] = episodes
        .merging(otherTables) { first, _ in first }
        .merging(cin) { first, _ in first }

    /// A sequence rule ready to run: its entry in `schemas/rules/` and its Swift.
    public struct Compiled: Sendable {
        public let spec: RuleSpec
        public let implementation: any SequenceRule.Type
        /// Where each of its fields sits in the table's rows.
        public let indexes: [Int]

        public func failing(_ rows: [[String?]], in period: CollectionPeriod) -> [Int] { implementation.failing(rows, in: period) }
    }

    public static func compile(_ spec: RuleSpec, input: InputSpec) throws -> Compiled {
        guard spec.action == .finding else {
            throw RCCError(.schema, "sequence rule \(spec.id) must be action: finding (its rows are loaded before it runs)")
        }
        guard let implementation = registry[spec.id] else {
            throw RCCError(.schema, "rule \(spec.id) is kind: sequence but no Swift rule is registered by that id (Validate/Sequences)")
        }
        let indexes = try implementation.fields.map { name -> Int in
            guard let i = input.index(of: name) else { throw RCCError(.schema, "sequence rule \(spec.id) reads \(name), which \(input.id) has not") }
            return i
        }
        return Compiled(spec: spec, implementation: implementation, indexes: indexes)
    }

    /// The sequence rules of `table` in force in `year`.
    public static func rules(for table: String, catalog: SchemaCatalog, year: Int) throws -> [Compiled] {
        guard let input = catalog.input(table) else { return [] }
        return try catalog.rules(for: table).filter { $0.kind == .sequence && $0.isInForce(in: year) }.map { try compile($0, input: input) }
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
