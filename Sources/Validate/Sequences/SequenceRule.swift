import RCCCore

/// A rule over one child's rows of a table taken together, in order: what the rule language cannot say
/// because it needs the row before or after, or all of a child's rows. Each is Swift, one rule a file,
/// registered here by the id of its entry in `schemas/rules/` (`kind: sequence`), which holds everything
/// else about it (DfE code, message, severity, table, fields, years, cases).
///
/// A rule may also read the child's rows of other tables (`others`; the YAML names the same tables in
/// `tables:`): its findings are still on rows of its own table. Such a rule implements the version of
/// `failing` with `others`; the rest implement one of the other two.
public protocol SequenceRule: Sendable {
    /// The fields it reads, in the order `check` gets them in each row's cells.
    static var fields: [String] { get }
    /// The fields it reads of other tables' rows of the child, by table.
    static var others: [String: [String]] { get }
    /// The indexes of the rows (in the order given) that break the rule. Values are canonical (ISO dates).
    static func failing(_ rows: [[String?]]) -> [Int]
    /// The same, for rules that need the collection's dates or read parameters.
    static func failing(_ rows: [[String?]], in run: RuleRun) -> [Int]
    /// The same, with the child's rows of the other tables it reads (by table, cells in the order of
    /// `others`; no rows when the child has none there). The engine calls this one.
    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int]
    /// The fields it reads of the child's row of last year's return, by table (the child's latest row of
    /// a table of several; `needs: [previous-year]`). Empty for most rules.
    static var last: [String: [String]] { get }
    /// The same as the version with `others`, with the child's rows of last year (by table, cells in the
    /// order of `last`; no rows when the child had none). The engine calls this one for a rule with `last`.
    static func failing(_ rows: [[String?]], others: ChildRows, last: ChildRows, in run: RuleRun) -> [Int]
    /// The codes and thresholds it reads from its entry's `parameters:` (`run.codes(name)`…), by name
    /// and kind: compiling the rule checks the entry gives exactly these.
    static var parameters: [String: RuleParameter.Kind] { get }
}

extension SequenceRule {
    public static var others: [String: [String]] { [:] }
    public static var last: [String: [String]] { [:] }
    public static var parameters: [String: RuleParameter.Kind] { [:] }
    public static func failing(_ rows: [[String?]], others: ChildRows, last: ChildRows, in run: RuleRun) -> [Int] {
        failing(rows, others: others, in: run)
    }
    public static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        failing(rows, in: run)
    }
    public static func failing(_ rows: [[String?]], in run: RuleRun) -> [Int] { failing(rows) }
    /// For a rule that implements only a version with the collection's dates.
    public static func failing(_ rows: [[String?]]) -> [Int] { [] }
}

/// A sequence rule over the rows of every child of the return together (duplicates across children):
/// `failing(rows)` gets all the return's rows of its table, child after child.
public protocol AcrossChildrenRule: SequenceRule {}

/// A child's rows of the other tables a rule reads, by table id, and which tables the return has rows of
/// at all (the validator does not run a rule about a table the return leaves out).
public struct ChildRows: Sendable {
    public var tables: [String: [[String?]]]
    public var returned: Set<String>

    public init(_ tables: [String: [[String?]]] = [:], returned: Set<String>? = nil) {
        self.tables = tables
        self.returned = returned ?? Set(tables.keys)
    }

    public subscript(table: String) -> [[String?]] { tables[table] ?? [] }

    /// Whether the return has rows of `table` (of any child).
    public func isReturned(_ table: String) -> Bool { returned.contains(table) }
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

    /// A sequence rule ready to run: its entry in `schemas/rules/` and its Swift. A class: the plan hands
    /// it on for every child, and a copy of a `RuleSpec` is dozens of retains.
    public final class Compiled: Sendable {
        public let spec: RuleSpec
        /// The Swift of a rule over this year's rows alone…
        public let implementation: (any SequenceRule.Type)?
        /// …or of one that also reads the child's row last year (its first field is CHILD).
        public let previousYear: (any PreviousYearSequenceRule)?
        /// Where each of its fields sits in the table's rows.
        public let indexes: [Int]
        /// The same for the other tables it reads, by table.
        public let otherIndexes: [String: [Int]]
        /// The ONS code of each LA by its DfE number (`la-england`), for a previous-year rule comparing
        /// with the return's own LA.
        let onsCodes: [String: String]
        /// Its `parameters:`, as its Swift reads them.
        let values: RuleValues

        init(spec: RuleSpec, implementation: (any SequenceRule.Type)?, previousYear: (any PreviousYearSequenceRule)?,
             indexes: [Int], otherIndexes: [String: [Int]], onsCodes: [String: String] = [:], values: RuleValues) {
            self.spec = spec
            self.values = values
            self.implementation = implementation
            self.previousYear = previousYear
            self.indexes = indexes
            self.otherIndexes = otherIndexes
            self.onsCodes = onsCodes
        }

        public func failing(_ rows: [[String?]], others: ChildRows = ChildRows(), in period: CollectionPeriod) -> [Int] {
            failing(rows, others: others, in: period, previous: nil)
        }

        /// What its Swift runs with in `period`: the dates and its parameters.
        func run(in period: CollectionPeriod) -> RuleRun { RuleRun(period: period, values: values) }

        /// The rows that break the rule; a rule reading last year's return finds none without it.
        public func failing(_ rows: [[String?]], others: ChildRows = ChildRows(), in period: CollectionPeriod,
                            previous: PreviousReturn?, postcodes: PostcodeDirectory? = nil) -> [Int] {
            let run = run(in: period)
            if let implementation, implementation.last.isEmpty { return implementation.failing(rows, others: others, in: run) }
            if let implementation {
                // Its first field is CHILD (see `compile`), by which last year's rows are found.
                guard let previous, let child = rows.first?.first ?? nil else { return [] }
                var last = ChildRows()
                for (table, fields) in implementation.last {
                    let kept = previous.fields(of: table)
                    last.tables[table] = previous.row(table: table, child: child).map { row in
                        [fields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }]
                    } ?? []
                }
                return implementation.failing(rows.map { Array($0.dropFirst()) }, others: others, last: last, in: run)
            }
            guard let rule = previousYear, let previous, let child = rows.first?.first ?? nil else { return [] }
            let table = rule.lastTable ?? spec.table
            var last: [String?]?
            if let row = previous.row(table: table, child: child) {
                let kept = previous.fields(of: table)
                last = rule.lastFields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }
            }
            var lastRows: [[String?]] = []
            if rule.readsEveryLastRow {
                let kept = previous.fields(of: table)
                lastRows = previous.rows(table: table, child: child).map { row in
                    rule.lastFields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }
                }
            }
            return rule.failing(rows.map { Array($0.dropFirst()) }, others: others, last: last, lastRows: lastRows, postcodes: postcodes,
                                localLA: onsCodes[previous.key.la], in: run)
        }
    }

    /// The shared values (`parameters:` of a rule file without rules) the Swift reads for every rule that
    /// asks `CareFacts`: each must be given, of its kind.
    public static let sharedParameters: [String: RuleParameter.Kind] = CareFacts.parameters

    /// A rule's own parameters checked against what its Swift reads, with the shared ones beside them.
    static func values(of spec: RuleSpec, reading wanted: [String: RuleParameter.Kind], catalog: SchemaCatalog) throws -> RuleValues {
        let own = spec.parameters ?? [:]
        try RuleValues.check(own, against: wanted, subject: "sequence rule \(spec.id)")
        let shared = catalog.sharedRuleParameters
        try RuleValues.check(shared, against: sharedParameters, subject: "the shared rule parameters (parameters: of schemas/rules/ssda903-definitions.yaml)")
        if let both = Set(own.keys).intersection(shared.keys).sorted().first {
            throw RCCError(.schema, "sequence rule \(spec.id) gives parameter \(both), which is a shared one: name it otherwise")
        }
        return RuleValues(own.merging(shared) { mine, _ in mine })
    }

    public static func compile(_ spec: RuleSpec, input: InputSpec, catalog: SchemaCatalog) throws -> Compiled {
        guard spec.action == .finding else {
            throw RCCError(.schema, "sequence rule \(spec.id) must be action: finding (its rows are loaded before it runs)")
        }
        func indexes(_ fields: [String], of input: InputSpec) throws -> [Int] {
            try fields.map { name -> Int in
                guard let i = input.index(of: name) else { throw RCCError(.schema, "sequence rule \(spec.id) reads \(name), which \(input.id) has not") }
                return i
            }
        }
        func otherIndexes(_ others: [String: [String]]) throws -> [String: [Int]] {
            guard Set(spec.tables ?? []) == Set(others.keys) else {
                throw RCCError(.schema, "sequence rule \(spec.id): its tables (\((spec.tables ?? []).sorted().joined(separator: ", "))) are not the ones its Swift reads (\(others.keys.sorted().joined(separator: ", ")))")
            }
            var otherIndexes: [String: [Int]] = [:]
            for (table, fields) in others {
                guard let other = catalog.input(table), other.collection == input.collection else {
                    throw RCCError(.schema, "sequence rule \(spec.id) reads \(table), which is no table of \(input.collection)")
                }
                otherIndexes[table] = try indexes(fields, of: other)
            }
            return otherIndexes
        }
        if let rule = previousYear[spec.id] {
            let values = try values(of: spec, reading: rule.parameters, catalog: catalog)
            guard spec.needs?.contains("previous-year") ?? false else {
                throw RCCError(.schema, "rule \(spec.id) reads last year's return but does not say needs: [previous-year]")
            }
            return Compiled(spec: spec, implementation: nil, previousYear: rule,
                            indexes: try indexes(["CHILD"] + rule.fields, of: input), otherIndexes: try otherIndexes(rule.others),
                            onsCodes: onsCodes(catalog), values: values)
        }
        guard let implementation = registry[spec.id] else {
            throw RCCError(.schema, "rule \(spec.id) is kind: sequence but no Swift rule is registered by that id (Validate/Sequences)")
        }
        let values = try values(of: spec, reading: implementation.parameters, catalog: catalog)
        if !implementation.last.isEmpty && !(spec.needs?.contains("previous-year") ?? false) {
            throw RCCError(.schema, "rule \(spec.id) reads last year's return but does not say needs: [previous-year]")
        }
        let fields = implementation.last.isEmpty ? implementation.fields : ["CHILD"] + implementation.fields
        return Compiled(spec: spec, implementation: implementation, previousYear: nil,
                        indexes: try indexes(fields, of: input), otherIndexes: try otherIndexes(implementation.others), values: values)
    }

    /// The ONS code of each English LA by its DfE number (`schemas/codes/la-england.yaml`): what the
    /// validator calls the local authority, for rules comparing with the return's own LA (`local_la`).
    static func onsCodes(_ catalog: SchemaCatalog) -> [String: String] {
        catalog.codeLists["la-england"]?.onsCodes ?? [:]
    }

    /// What a return's sequence rules need: the rules of each table, and the fields kept of each table's
    /// rows (for its own rules and for other tables' rules that read it).
    public struct Plan: Sendable {
        public private(set) var rules: [String: [Compiled]] = [:]
        /// Per table, the fields (indexes in its input spec) its rows keep, in the order kept.
        public private(set) var indexes: [String: [Int]] = [:]

        /// A rule ready to run on kept cells: which projection of its table's kept cells it reads (its fields,
        /// in its order), and the same for each other table it reads. Rules reading the same fields share a
        /// projection, made once per child.
        private final class Step: Sendable {
            let table: String
            let rule: Compiled
            let projection: Int
            let others: [(table: String, projection: Int)]

            init(table: String, rule: Compiled, projection: Int, others: [(table: String, projection: Int)]) {
                self.table = table
                self.rule = rule
                self.projection = projection
                self.others = others
            }
        }
        /// The distinct (table, positions among its kept cells) the steps read.
        private var projections: [(table: Int, positions: [Int])] = []
        /// The tables the projections are of.
        private var projectedTables: [String] = []
        private var steps: [Step] = []
        /// The rules over all children's rows together (AcrossChildrenRule), run once per return.
        private var acrossChildren: [Step] = []
        /// The tables those rules read.
        public var acrossChildrenTables: Set<String> { Set(acrossChildren.map(\.table)) }

        /// The plan for a return of `collection` in `year`; empty when no rule is in force.
        public init(catalog: SchemaCatalog, collection: String, year: Int, available: Set<String> = []) throws {
            for input in catalog.inputs where input.collection == collection {
                let compiled = try catalog.rules(for: input.id)
                    .filter { $0.kind == .sequence && $0.isInForce(in: year) && $0.canRun(with: available) }
                    .map { try compile($0, input: input, catalog: catalog) }
                guard !compiled.isEmpty else { continue }
                rules[input.id] = compiled
                for rule in compiled {
                    keep(rule.indexes, of: input.id)
                    for (table, fields) in rule.otherIndexes { keep(fields, of: table) }
                }
            }
            var projectionIndex: [String: [[Int]: Int]] = [:]
            for (table, tableRules) in rules.sorted(by: { $0.key < $1.key }) {
                for rule in tableRules {
                    func projection(_ wanted: [Int], in table: String) -> Int {
                        let kept = indexes[table] ?? []
                        let positions = wanted.map { kept.firstIndex(of: $0)! }
                        if let known = projectionIndex[table]?[positions] { return known }
                        let slot = projectedTables.firstIndex(of: table) ?? projectedTables.count
                        if slot == projectedTables.count { projectedTables.append(table) }
                        projections.append((slot, positions))
                        projectionIndex[table, default: [:]][positions] = projections.count - 1
                        return projections.count - 1
                    }
                    let step = Step(table: table, rule: rule, projection: projection(rule.indexes, in: table),
                                    others: rule.otherIndexes.sorted { $0.key < $1.key }.map { ($0.key, projection($0.value, in: $0.key)) })
                    if let implementation = rule.implementation, implementation is any AcrossChildrenRule.Type {
                        acrossChildren.append(step)
                    } else {
                        steps.append(step)
                    }
                }
            }
        }

        private mutating func keep(_ fields: [Int], of table: String) {
            for i in fields where !(indexes[table]?.contains(i) ?? false) { indexes[table, default: []].append(i) }
        }

        public var isEmpty: Bool { rules.isEmpty }
        /// The most fields kept of any table: the width of the store.
        public var width: Int { indexes.values.map(\.count).max() ?? 0 }

        /// Runs the rules on one child's rows of every table (cells as kept: `indexes[table]`), giving the
        /// rows that fail, with the rule, in its own table. `returned`: the tables the return has rows of.
        public func failing(_ rows: [String: [[String?]]], in period: CollectionPeriod, returned: Set<String>,
                            previous: PreviousReturn? = nil, postcodes: PostcodeDirectory? = nil) -> [(rule: Compiled, table: String, row: Int)] {
            run(steps, rows, in: period, returned: returned, previous: previous, postcodes: postcodes)
        }

        /// Runs the rules over all children together on the return's rows of their tables (kept cells, child
        /// after child), giving the rows that fail.
        public func failingAcrossChildren(_ rows: [String: [[String?]]], in period: CollectionPeriod,
                                          returned: Set<String>) -> [(rule: Compiled, table: String, row: Int)] {
            run(acrossChildren, rows, in: period, returned: returned, previous: nil, postcodes: nil)
        }

        private func run(_ steps: [Step], _ rows: [String: [[String?]]], in period: CollectionPeriod, returned: Set<String>,
                         previous: PreviousReturn?, postcodes: PostcodeDirectory?) -> [(rule: Compiled, table: String, row: Int)] {
            // Each projection of the child's rows is made the first time a rule asks for it.
            // (The child's tables are looked up once here, not once a rule: a String-keyed look-up costs a hash.)
            let childTables = projectedTables.map { rows[$0] ?? [] }
            var made = [[[String?]]?](repeating: nil, count: projections.count)
            func cells(_ projection: Int) -> [[String?]] {
                if let done = made[projection] { return done }
                let positions = projections[projection].positions
                let cells = childTables[projections[projection].table].map { row in positions.map { row[$0] } }
                made[projection] = cells
                return cells
            }
            var out: [(rule: Compiled, table: String, row: Int)] = []
            for step in steps {
                guard !childTables[projections[step.projection].table].isEmpty else { continue }
                var others = ChildRows(returned: returned)
                for other in step.others { others.tables[other.table] = cells(other.projection) }
                for i in step.rule.failing(cells(step.projection), others: others, in: period,
                                           previous: previous, postcodes: postcodes) {
                    out.append((step.rule, step.table, i))
                }
            }
            return out
        }
    }

    /// The sequence rules of `table` in force in `year` whose reference data (if any) is `available`.
    public static func rules(for table: String, catalog: SchemaCatalog, year: Int, available: Set<String> = []) throws -> [Compiled] {
        guard let input = catalog.input(table) else { return [] }
        return try catalog.rules(for: table).filter { $0.kind == .sequence && $0.isInForce(in: year) && $0.canRun(with: available) }
            .map { try compile($0, input: input, catalog: catalog) }
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
