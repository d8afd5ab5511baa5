import RCCCore

/// The rules about a whole return (`kind: aggregate`, the DfE's LA-level rules such as CIN's 2883 or
/// 2886Q), compiled for one collection year: each of their `counts` is a counter the return's rows
/// update as they are validated (`count`, called by `TableValidator` for every row it reads, the
/// quarantined too), and once every row has gone by each rule's `check` is asked of the counts
/// (`failing`). No row is kept: a count is a number, a set of a code's values, or a run length.
public final class AggregateRules {
    final class Counter {
        let name: String
        let condition: CompiledExpression?
        let distinct: Int?
        let most: Int?
        var count = 0
        var values: Set<String> = []
        var runKey: String?
        var run = 0

        init(name: String, condition: CompiledExpression?, distinct: Int?, most: Int?) {
            self.name = name; self.condition = condition; self.distinct = distinct; self.most = most
        }

        func add(_ row: RowValues, _ context: ReturnContext) {
            if let condition, condition.evaluate(row, context) != .bool(true) { return }
            if let distinct {
                if let value = row.record.cells[distinct] { values.insert(value) }
            } else if let most {
                let key = row.record.cells[most]
                if key == nil || key != runKey { runKey = key; run = 0 }
                run += 1
                count = max(count, run)
            } else {
                count += 1
            }
        }

        var value: Int { distinct == nil ? count : values.count }
    }

    struct Rule {
        let spec: RuleSpec
        let counters: [Counter]
        /// Reads the counts as a row of their own, field by field in `counters`' order.
        let check: CompiledExpression
    }

    private let rules: [Rule]
    private let byTable: [String: [Counter]]

    /// The aggregate rules of `collection` in force in `year` that can run with the reference data `available`.
    public init(catalog: SchemaCatalog, collection: String, year: Int, available: Set<String> = []) throws {
        let specs = catalog.rules.filter {
            $0.kind == .aggregate && catalog.input($0.table)?.collection == collection && $0.isInForce(in: year) && $0.canRun(with: available)
        }
        var rules: [Rule] = [], byTable: [String: [Counter]] = [:]
        for spec in specs {
            let rule = try Self.compile(spec, catalog: catalog, year: year)
            for (counter, count) in zip(rule.counters, rule.counts) { byTable[count.table, default: []].append(counter) }
            rules.append(rule.rule)
        }
        self.rules = rules
        self.byTable = byTable
    }

    static func compile(_ spec: RuleSpec, catalog: SchemaCatalog, year: Int) throws -> (rule: Rule, counters: [Counter], counts: [RuleSpec.Count]) {
        func fail(_ why: String) -> RCCError { RCCError(.schema, "rule \(spec.id): \(why)") }
        guard let counts = spec.counts, !counts.isEmpty else { throw fail("an aggregate rule needs `counts`") }
        guard let checkText = spec.check else { throw fail("an aggregate rule needs `check`, a condition over its counts") }
        let named = counts.sorted { $0.key < $1.key }
        var counters: [Counter] = []
        for (name, count) in named {
            guard let input = catalog.input(count.table) else { throw fail("count \(name): no table \(count.table)") }
            func index(_ field: String?) throws -> Int? {
                guard let field else { return nil }
                guard let i = input.index(of: field) else { throw fail("count \(name): \(field) is not a field of \(count.table)") }
                return i
            }
            guard count.distinct == nil || count.most == nil else { throw fail("count \(name): give `distinct` or `most`, not both") }
            do {
                let condition = try count.when.map { try ExpressionCompiler.compile($0, input: input, catalog: catalog, year: year) }
                counters.append(Counter(name: name, condition: condition, distinct: try index(count.distinct), most: try index(count.most)))
            } catch let error as RCCError {
                throw fail("count \(name): \(error.message)")
            }
        }
        let input = InputSpec(id: spec.id, collection: catalog.input(spec.table)?.collection ?? "", title: spec.id,
                              fields: named.map { FieldSpec(name: $0.key, type: .integer) })
        do {
            let check = try ExpressionCompiler.compile(checkText, input: input, catalog: catalog, year: year)
            return (Rule(spec: spec, counters: counters, check: check), counters, named.map(\.value))
        } catch let error as RCCError {
            throw fail(error.message)
        }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// The counters a table's rows update, or nil when none does (the validator then does nothing more).
    func counters(of table: String) -> [Counter]? { byTable[table] }

    /// The rules whose check the counts fail, once every row of the return has been counted.
    public func failing(context: ReturnContext) -> [RuleSpec] {
        rules.filter { rule in
            let record = Record(row: 0, cells: rule.counters.map { String($0.value) })
            return rule.check.evaluate(RowValues(record), context) == .bool(false)
        }.map(\.spec)
    }

    /// The counts of a rule so far, by name (for tests and for telling why a rule failed).
    public func counts(of id: String) -> [String: Int] {
        guard let rule = rules.first(where: { $0.spec.id == id }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: rule.counters.map { ($0.name, $0.value) })
    }
}
