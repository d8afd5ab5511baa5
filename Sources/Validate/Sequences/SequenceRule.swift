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
    static func failing(_ rows: RuleRows) -> [Int]
    /// The same, for rules that need the collection's dates or read parameters.
    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int]
    /// The same, with the child's rows of the other tables it reads (by table, cells in the order of
    /// `others`; no rows when the child has none there). The engine calls this one.
    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int]
    /// The fields it reads of the child's row of last year's return, by table (the child's latest row of
    /// a table of several; `needs: [previous-year]`). Empty for most rules.
    static var last: [String: [String]] { get }
    /// The same as the version with `others`, with the child's rows of last year (by table, cells in the
    /// order of `last`; no rows when the child had none). The engine calls this one for a rule with `last`.
    static func failing(_ rows: RuleRows, others: ChildRows, last: ChildRows, in run: RuleRun) -> [Int]
    /// The codes and thresholds it reads from its entry's `parameters:` (`run.codes(name)`…), by name
    /// and kind: compiling the rule checks the entry gives exactly these.
    static var parameters: [String: RuleParameter.Kind] { get }
}

extension SequenceRule {
    public static var others: [String: [String]] { [:] }
    public static var last: [String: [String]] { [:] }
    public static var parameters: [String: RuleParameter.Kind] { [:] }
    public static func failing(_ rows: RuleRows, others: ChildRows, last: ChildRows, in run: RuleRun) -> [Int] {
        failing(rows, others: others, in: run)
    }
    public static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        failing(rows, in: run)
    }
    public static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] { failing(rows) }
    /// For a rule that implements only a version with the collection's dates.
    public static func failing(_ rows: RuleRows) -> [Int] { [] }
}

/// A sequence rule over the rows of every child of the return together (duplicates across children):
/// `failing(rows)` gets all the return's rows of its table, child after child.
public protocol AcrossChildrenRule: SequenceRule {}

/// A child's rows of the other tables a rule reads, by table id, and which tables the return has rows of
/// at all (the validator does not run a rule about a table the return leaves out).
///
/// Kept as short lists found by comparing names, not as dictionaries: the engine makes one for every rule
/// and child, a rule reads one or two tables, and a return has a handful, so building and hashing
/// dictionaries cost more than the look-ups they save. `tables` and `returned` give them as a dictionary
/// and a set, for tests and tools that build one by hand. Rows the engine lends are good during the rule's
/// call only, as `RuleRows` says.
public struct ChildRows {
    private var entries: [(table: String, rows: RuleRows)]
    private var returnedTables: [String]

    public init(_ tables: [String: [[String?]]] = [:], returned: Set<String>? = nil) {
        entries = tables.map { ($0.key, RuleRows($0.value)) }
        returnedTables = Array(returned ?? Set(tables.keys))
    }

    /// The engine's: `entries` of distinct tables, `returned` of distinct tables.
    init(entries: [(table: String, rows: RuleRows)], returned: [String]) {
        self.entries = entries
        returnedTables = returned
    }

    public var tables: [String: [[String?]]] {
        get { Dictionary(entries.map { ($0.table, $0.rows.arrays) }, uniquingKeysWith: { first, _ in first }) }
        set { entries = newValue.map { ($0.key, RuleRows($0.value)) } }
    }

    public var returned: Set<String> {
        get { Set(returnedTables) }
        set { returnedTables = Array(newValue) }
    }

    public subscript(table: String) -> RuleRows {
        for entry in entries where entry.table == table { return entry.rows }
        return RuleRows()
    }

    /// Whether the return has rows of `table` (of any child).
    public func isReturned(_ table: String) -> Bool { returnedTables.contains(table) }

    /// The engine's, rule after rule: its tables' rows written over in place (the list's memory kept).
    mutating func removeAllRows() { entries.removeAll(keepingCapacity: true) }
    mutating func append(_ table: String, _ rows: RuleRows) { entries.append((table, rows)) }
}

/// The dates of the collection a return belongs to: collection year 2026 (2025-26) runs from 1 April
/// 2025 to 31 March 2026, as `collection_start` and `collection_end` in the rule language.
public struct CollectionPeriod: Sendable, Equatable {
    public let year: Int
    public let start: CivilDate
    public let end: CivilDate
    /// As the rows hold dates: ISO text (written once here: rules read them for every child).
    public let startISO: String
    public let endISO: String

    public init(year: Int) {
        self.year = year
        start = CivilDate(year: year - 1, month: 4, day: 1)!
        end = CivilDate(year: year, month: 3, day: 31)!
        startISO = start.iso
        endISO = end.iso
    }
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
            failing(RuleRows(rows), others: others, in: period, previous: nil)
        }

        /// What its Swift runs with in `period`: the dates and its parameters.
        func run(in period: CollectionPeriod) -> RuleRun { RuleRun(period: period, values: values) }

        /// The rows that break the rule; a rule reading last year's return finds none without it.
        public func failing(_ rows: [[String?]], others: ChildRows = ChildRows(), in period: CollectionPeriod,
                            previous: PreviousReturn?, postcodes: PostcodeDirectory? = nil) -> [Int] {
            failing(RuleRows(rows), others: others, in: period, previous: previous, postcodes: postcodes)
        }

        /// The same, on rows as the engine lends them.
        public func failing(_ rows: RuleRows, others: ChildRows = ChildRows(), in period: CollectionPeriod,
                            previous: PreviousReturn?, postcodes: PostcodeDirectory? = nil) -> [Int] {
            let run = run(in: period)
            if let implementation, implementation.last.isEmpty { return implementation.failing(rows, others: others, in: run) }
            // Its first field is CHILD (see `compile`), by which last year's rows are found.
            guard let previous, let child = rows.first?.first ?? nil else { return [] }
            return failing(withoutChild: RuleRows(rows.map { Array($0.dropFirst()) }), child: child, others: others, run: run,
                           previous: previous, postcodes: postcodes)
        }

        /// Whether it reads last year's return: then its first field is CHILD, which its Swift is not given.
        var readsLastYear: Bool { implementation.map { !$0.last.isEmpty } ?? true }

        /// A rule reading last year's return, on the child's rows without their first field (CHILD), `child`
        /// being that field in the child's first row.
        func failing(withoutChild rows: RuleRows, child: String, others: ChildRows, run: RuleRun,
                     previous: PreviousReturn, postcodes: PostcodeDirectory?) -> [Int] {
            if let implementation {
                var last = ChildRows()
                for (table, fields) in implementation.last {
                    let kept = previous.fields(of: table)
                    last.tables[table] = previous.row(table: table, child: child).map { row in
                        [fields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }]
                    } ?? []
                }
                return implementation.failing(rows, others: others, last: last, in: run)
            }
            guard let rule = previousYear else { return [] }
            let table = rule.lastTable ?? spec.table
            var last: [String?]?
            if let row = previous.row(table: table, child: child) {
                let kept = previous.fields(of: table)
                last = rule.lastFields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }
            }
            var lastRows = RuleRows()
            if rule.readsEveryLastRow {
                let kept = previous.fields(of: table)
                lastRows = RuleRows(previous.rows(table: table, child: child).map { row in
                    rule.lastFields.map { name in kept.firstIndex(of: name).flatMap { row[$0] } }
                })
            }
            return rule.failing(rows, others: others, last: last, lastRows: lastRows, postcodes: postcodes,
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
        /// The tables the rules read, each by its place here (its slot): how a `Runner` is given rows, so
        /// that a child's rows are sorted by table without hashing table names.
        public private(set) var tables: [String] = []

        /// A rule ready to run on kept cells: which projection of its table's kept cells it reads (its
        /// fields, in its order; for a rule reading last year's return, all but the first, CHILD), and the
        /// same for each other table it reads. Rules reading the same fields share a projection, made once
        /// per child.
        struct Step: Sendable {
            let table: String
            /// Its table's slot in `tables`.
            let slot: Int
            let rule: Compiled
            let projection: Int
            /// For a rule reading last year's return: where CHILD, by which it finds the child last year,
            /// sits among its table's kept cells.
            let child: Int?
            let others: [(table: String, projection: Int)]
        }
        /// The distinct (table slot, positions among its kept cells) the steps read.
        fileprivate var projections: [(table: Int, positions: [Int])] = []
        fileprivate var steps: [Step] = []
        /// The rules over all children's rows together (AcrossChildrenRule), run once per return.
        fileprivate var acrossChildren: [Step] = []
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
            func slot(_ table: String) -> Int {
                if let known = tables.firstIndex(of: table) { return known }
                tables.append(table)
                return tables.count - 1
            }
            func position(_ field: Int, in table: String) -> Int { indexes[table]!.firstIndex(of: field)! }
            func projection<Fields: Collection<Int>>(_ wanted: Fields, in table: String) -> Int {
                let positions = wanted.map { position($0, in: table) }
                if let known = projectionIndex[table]?[positions] { return known }
                projections.append((slot(table), positions))
                projectionIndex[table, default: [:]][positions] = projections.count - 1
                return projections.count - 1
            }
            for (table, tableRules) in rules.sorted(by: { $0.key < $1.key }) {
                for rule in tableRules {
                    let readsLastYear = rule.readsLastYear
                    let step = Step(table: table, slot: slot(table), rule: rule,
                                    projection: projection(readsLastYear ? rule.indexes.dropFirst() : rule.indexes[...], in: table),
                                    child: readsLastYear ? position(rule.indexes[0], in: table) : nil,
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

        /// The slot of `table` (its place in `tables`); nil when no rule reads it.
        public func slot(of table: String) -> Int? { tables.firstIndex(of: table) }

        /// Runs the rules on one child's rows of every table (cells as kept: `indexes[table]`), giving the
        /// rows that fail, with the rule, in its own table. `returned`: the tables the return has rows of.
        /// (For a child now and then; the engine goes through many with a `Runner`.)
        public func failing(_ rows: [String: [[String?]]], in period: CollectionPeriod, returned: Set<String>,
                            previous: PreviousReturn? = nil, postcodes: PostcodeDirectory? = nil) -> [(rule: Compiled, table: String, row: Int)] {
            let runner = Runner(self, period: period, returned: returned, previous: previous, postcodes: postcodes)
            return runner.failing(rows)
        }

        /// Runs the rules over all children together on the return's rows of their tables (kept cells, child
        /// after child), giving the rows that fail.
        public func failingAcrossChildren(_ rows: [String: [[String?]]], in period: CollectionPeriod,
                                          returned: Set<String>) -> [(rule: Compiled, table: String, row: Int)] {
            let runner = Runner(self, steps: acrossChildren, period: period, returned: returned, previous: nil, postcodes: nil)
            return runner.failing(rows)
        }
    }

    /// Runs a plan's rules on children one after another, on one thread: tell it where each of a child's
    /// rows starts (`add`), then `run` with the cells; then the next child's.
    ///
    /// Rules are lent the child's rows where they lie (`RuleRows`): the runner keeps, per table, where each
    /// of the child's rows starts among the cells it is given, and, per projection (the fields a rule reads,
    /// in its order), where each field sits in a row. Nothing is copied per rule: before, each rule was
    /// given its own fields of each row as an array of arrays, written over for every child, which with the
    /// reference counts of handing them on was about a tenth of a CSV ingest's CPU. A rule reading other
    /// tables is given them as a `ChildRows` of a few entries, not a dictionary.
    ///
    /// One a thread: a runner is not to be shared (it is a class for its buffers, which it frees). It keeps
    /// its own copy of what the rules read on every call (their parameters, the tables' names), so that
    /// threads running the same plan do not count references to the same objects, which would make the
    /// cores pass those objects' cache lines between them for every rule and child.
    public final class Runner {
        /// A step, as this runner runs it.
        private struct Task {
            /// Its place in `steps`.
            let step: Int
            let slot: Int
            let projection: Int
            let child: Int?
            let others: [(table: String, projection: Int)]
            /// The Swift of a rule over this year's rows alone (nil: one reading last year's return).
            let implementation: (any SequenceRule.Type)?
            /// The same, when the rule reads no other table (the commonest call): asking this reads no
            /// counted field (`others.isEmpty` counted the list for every rule and child).
            let alone: (any SequenceRule.Type)?
            let run: RuleRun
        }

        private let steps: [Plan.Step]
        private let tasks: [Task]
        private let tables: [String]
        /// Each projection's table slot, and where its fields sit among its table's kept cells: projection
        /// `p`'s at `positions[positionStarts[p]..<positionStarts[p + 1]]`. The runner's own memory, not the
        /// plan's (which threads share).
        private let projectionTables: [Int]
        private let positionStarts: [Int]
        private let positions: UnsafeMutableBufferPointer<Int>
        /// The cells each table's rows keep (`Plan.indexes`), which every position read is below.
        private let widths: [Int]
        private let returned: [String]
        private let previous: PreviousReturn?
        private let postcodes: PostcodeDirectory?
        /// Per table slot, where each of the child's rows starts among the cells `run` is given, and the
        /// caller's tag of each.
        private var starts: [Starts]
        private var tags: [[Int]]
        /// What a rule reading no other table is given as the others: none, and the tables returned.
        private let noOthers: ChildRows

        /// A runner of `plan`'s rules over one child's rows at a time. `returned`: the tables the return has
        /// rows of.
        public convenience init(_ plan: Plan, period: CollectionPeriod, returned: Set<String>, previous: PreviousReturn?,
                                postcodes: PostcodeDirectory?) {
            self.init(plan, steps: plan.steps, period: period, returned: returned, previous: previous, postcodes: postcodes)
        }

        fileprivate init(_ plan: Plan, steps: [Plan.Step], period: CollectionPeriod, returned: Set<String>,
                         previous: PreviousReturn?, postcodes: PostcodeDirectory?) {
            self.steps = steps
            tasks = steps.enumerated().map { n, step in
                Task(step: n, slot: step.slot, projection: step.projection, child: step.child,
                     others: step.others.map { (String.unshared($0.table), $0.projection) },
                     implementation: step.child == nil ? step.rule.implementation : nil,
                     alone: step.child == nil && step.others.isEmpty ? step.rule.implementation : nil,
                     run: RuleRun(period: period, values: step.rule.values.unshared()))
            }
            tables = plan.tables
            projectionTables = plan.projections.map(\.table)
            var starts = [0], flat: [Int] = []
            for projection in plan.projections {
                flat += projection.positions
                starts.append(flat.count)
            }
            positionStarts = starts
            positions = .allocate(capacity: max(flat.count, 1))
            _ = positions.initialize(from: flat)
            widths = plan.tables.map { plan.indexes[$0]?.count ?? 0 }
            self.returned = returned.sorted().map(String.unshared)
            noOthers = ChildRows(entries: [], returned: self.returned)
            self.previous = previous
            self.postcodes = postcodes
            self.starts = (0..<plan.tables.count).map { _ in Starts() }
            tags = Array(repeating: [], count: plan.tables.count)
        }

        deinit {
            positions.deallocate()
            for slot in starts.indices { starts[slot].free() }
        }

        /// Adds a row of the child, of the table in `slot` (`Plan.slot(of:)`): its cells as kept
        /// (`Plan.indexes`) are those from `start` on in the cells `run` is given; `tag` is how `run` names it.
        public func add(start: Int, slot: Int, tag: Int) {
            starts[slot].append(start)
            tags[slot].append(tag)
        }

        /// Runs the rules on the child's rows added since the last run, whose cells are in `cells`, calling
        /// `found` with each row that fails (its rule, table and tag), rule by rule in the plan's order; then
        /// forgets the child.
        public func run(cells: UnsafeBufferPointer<String?>, _ found: (_ rule: Compiled, _ table: String, _ tag: Int) -> Void) {
            // Rules read the cells unchecked: every row added must hold its table's kept cells.
            for slot in starts.indices {
                for r in 0..<starts[slot].count {
                    let start = starts[slot].base[r]
                    precondition(start >= 0 && start + widths[slot] <= cells.count,
                                  "a row of \(tables[slot]) starts at \(start) of \(cells.count) cells, with \(widths[slot]) to read")
                }
            }
            guard let base = cells.baseAddress else { return forget() }
            // The other tables' rows, in a list made once a child and written over rule by rule.
            var others = ChildRows(entries: [], returned: returned)
            func rows(_ projection: Int) -> RuleRows {
                let slot = projectionTables[projection]
                return RuleRows(cells: base, starts: starts[slot].base, count: starts[slot].count,
                                positions: positions.baseAddress! + positionStarts[projection],
                                width: positionStarts[projection + 1] - positionStarts[projection])
            }
            for task in tasks.indices where starts[tasks[task].slot].count > 0 {
                let slot = tasks[task].slot, projection = tasks[task].projection
                let failing: [Int]
                if let implementation = tasks[task].alone {
                    // The commonest call: a rule reading its own table alone, its run lent where it lies
                    // (read through a pointer) rather than counted, rule after rule, for every child.
                    failing = Self.lend(implementation, rows(projection), others: noOthers, run: Unmanaged.passUnretained(tasks[task].run))
                } else {
                    others.removeAllRows()
                    // By index: a `for in` over the list would count it for every rule and child.
                    for k in 0..<tasks[task].others.count { others.append(tasks[task].others[k].table, rows(tasks[task].others[k].projection)) }
                    if let implementation = tasks[task].implementation {
                        failing = Self.lend(implementation, rows(projection), others: others, run: Unmanaged.passUnretained(tasks[task].run))
                    } else {
                        // Its first field is CHILD (see `compile`), by which last year's rows are found.
                        guard let previous, let position = tasks[task].child, let child = base[starts[slot].base[0] + position] else { continue }
                        failing = steps[tasks[task].step].rule.failing(withoutChild: rows(projection), child: child, others: others,
                                                                       run: tasks[task].run, previous: previous, postcodes: postcodes)
                    }
                }
                if !failing.isEmpty {
                    let step = steps[tasks[task].step]
                    for i in failing { found(step.rule, step.table, tags[slot][i]) }
                }
            }
            forget()
        }

        /// `implementation`'s failing rows of `rows`, lent `others` and `run` as they lie: borrowed, not
        /// counted (a copy of `others` into a closure counted both its lists, twice a rule and child).
        private static func lend(_ implementation: any SequenceRule.Type, _ rows: RuleRows, others: borrowing ChildRows,
                                 run: Unmanaged<RuleRun>) -> [Int] {
            run._withUnsafeGuaranteedRef { run in implementation.failing(rows, others: others, in: run) }
        }

        /// Forgets the child's rows.
        private func forget() {
            for slot in starts.indices where starts[slot].count > 0 {
                starts[slot].count = 0
                tags[slot].removeAll(keepingCapacity: true)
            }
        }

        /// The rows of `rows` (by table, tagged by their place in their table's list) that fail.
        fileprivate func failing(_ rows: [String: [[String?]]]) -> [(rule: Compiled, table: String, row: Int)] {
            var cells: [String?] = []
            for (table, tableRows) in rows.sorted(by: { $0.key < $1.key }) {
                guard let slot = tables.firstIndex(of: table) else { continue }
                for (i, row) in tableRows.enumerated() {
                    add(start: cells.count, slot: slot, tag: i)
                    cells += row
                }
            }
            var out: [(rule: Compiled, table: String, row: Int)] = []
            cells.withUnsafeBufferPointer { cells in run(cells: cells) { out.append(($0, $1, $2)) } }
            return out
        }

        /// Where a table's rows start, in memory the runner frees: a rule is lent a pointer to it.
        private struct Starts {
            private(set) var base = UnsafeMutablePointer<Int>.allocate(capacity: 16)
            var count = 0
            private var capacity = 16

            mutating func append(_ start: Int) {
                if count == capacity {
                    let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
                    grown.moveInitialize(from: base, count: count)
                    base.deallocate()
                    base = grown
                    capacity *= 2
                }
                (base + count).initialize(to: start)
                count += 1
            }

            func free() { base.deallocate() }
        }
    }

    /// The sequence rules of `table` in force in `year` whose reference data (if any) is `available`.
    public static func rules(for table: String, catalog: SchemaCatalog, year: Int, available: Set<String> = []) throws -> [Compiled] {
        guard let input = catalog.input(table) else { return [] }
        return try catalog.rules(for: table).filter { $0.kind == .sequence && $0.isInForce(in: year) && $0.canRun(with: available) }
            .map { try compile($0, input: input, catalog: catalog) }
    }

    /// Rows ordered by one date field (ISO text orders as dates do), blanks last, ties in the order given.
    static func ordered(_ rows: RuleRows, by field: Int) -> [Int] {
        ordered(rows.count) { a, b in before(rows[a][field], rows[b][field]) }
    }

    /// Rows ordered by the first field, then the next where they tie, and so on; blanks last in each;
    /// ties in all of them in the order given.
    static func ordered(_ rows: RuleRows, by fields: [Int]) -> [Int] {
        ordered(rows.count) { a, b in
            for field in fields { if let order = before(rows[a][field], rows[b][field]) { return order } }
            return nil
        }
    }

    /// Whether `x` comes before `y`, blanks last; nil when they tie.
    private static func before(_ x: String?, _ y: String?) -> Bool? {
        switch (x, y) {
        case let (x?, y?): x == y ? nil : x < y
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): nil
        }
    }

    /// `0..<count` in the order `before` gives (nil: a tie, kept in the order given). A child's rows mostly
    /// come in order already, so that is looked at first: one comparison of each row with the one before it,
    /// where sorting costs more. Ties broken by place make the order a total one, so it is sorted exactly
    /// when no row comes before the one before it, and then it is the order given.
    private static func ordered(_ count: Int, _ before: (_ a: Int, _ b: Int) -> Bool?) -> [Int] {
        var order = Array(0..<count)
        for i in order.indices.dropFirst() where before(i, i - 1) == true {
            order.sort { a, b in before(a, b) ?? (a < b) }
            break
        }
        return order
    }
}
