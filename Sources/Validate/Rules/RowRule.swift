import RCCCore

/// A rule from `schemas/rules/` compiled against one input spec: field names resolved to cell
/// indexes once, so that running it on a row is a few comparisons. A class: a validator runs every rule
/// on every row, and a struct holding the whole `RuleSpec` would be copied (each of its strings retained
/// and released) each time.
public final class RowRule {
    public let spec: RuleSpec
    private let evaluate: (RowValues, ReturnContext) -> Bool   // true: the row passes

    init(_ rule: RuleSpec, input: InputSpec, catalog: SchemaCatalog, year: Int) throws {
        spec = rule
        func index(_ name: String?) throws -> Int {
            guard let name, let i = input.index(of: name) else {
                throw RCCError(.schema, "rule \(rule.id): a field it needs is not named or not in \(input.id)")
            }
            return i
        }
        switch rule.kind {
        case .compare:
            let l = try index(rule.left), r = try index(rule.right)
            let bothNumbers = input.fields[l].type == .integer && input.fields[r].type == .integer
            guard let op = rule.op, let compare = RowRule.comparison(op) else {
                throw RCCError(.schema, "rule \(rule.id): op must be one of < <= > >= == !=")
            }
            // Dates are canonical ISO text by now, which orders as the dates do.
            evaluate = { row, _ in
                guard let a = row.record.cells[l], let b = row.record.cells[r] else { return true }
                if bothNumbers, let x = Int(a), let y = Int(b) { return compare(x < y ? -1 : (x > y ? 1 : 0)) }
                return compare(a < b ? -1 : (a > b ? 1 : 0))
            }
        case .requiredWith:
            let f = try index(rule.field), w = try index(rule.when)
            evaluate = { row, _ in row.record.cells[w] == nil || row.record.cells[f] != nil }
        case .blankWith:
            let f = try index(rule.field), w = try index(rule.when)
            evaluate = { row, _ in row.record.cells[w] != nil || row.record.cells[f] == nil }
        case .existsIn:
            guard let ref = rule.reference, let target = catalog.input(ref.table) else {
                throw RCCError(.schema, "rule \(rule.id): exists-in needs a reference table")
            }
            guard target.primaryKey == ref.fields else {
                throw RCCError(.schema, "rule \(rule.id): exists-in must reference the primary key of \(ref.table)")
            }
            let fields = try rule.fields.map { try index($0) }
            let table = ref.table
            evaluate = { row, context in context.isLoaded(table: table, key: KeyHash(fields.lazy.map { row.record.cells[$0] })) }
        case .unique:
            let fields = try rule.fields.map { try index($0) }
            let scope = rule.id
            evaluate = { row, context in context.firstSighting(scope: scope, key: KeyHash(fields.lazy.map { row.record.cells[$0] })) }
        case .sequence:
            throw RCCError(.schema, "rule \(rule.id): a sequence rule runs over a child's rows together, not one row")
        case .aggregate:
            throw RCCError(.schema, "rule \(rule.id): an aggregate rule runs over the whole return, not one row")
        case .expression:
            guard let check = rule.check else { throw RCCError(.schema, "rule \(rule.id): an expression rule needs `check`") }
            do {
                // The row passes unless the check is plainly false; where the rule applies only when its
                // `applies` is plainly true.
                let test = try ExpressionCompiler.compile(check, input: input, catalog: catalog, year: year).test
                if let applies = try rule.applies.map({ try ExpressionCompiler.compile($0, input: input, catalog: catalog, year: year).test }) {
                    evaluate = { row, context in applies(row, context) != .yes || test(row, context) != .no }
                } else {
                    evaluate = { row, context in test(row, context) != .no }
                }
            } catch let error as RCCError {
                throw RCCError(.schema, "rule \(rule.id): \(error.message)")
            }
        }
    }

    /// The fields of other tables the expression rules of `catalog` look up (table → fields), which the
    /// return's context must keep while the return loads.
    public static func lookupFields(_ catalog: SchemaCatalog) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        func add(_ text: String) {
            guard let expression = try? ExpressionParser.parse(text, conditions: catalog.conditions) else { return }
            for (table, field) in expression.lookups where !(fields[table]?.contains(field) ?? false) {
                fields[table, default: []].append(field)
            }
        }
        for rule in catalog.rules where rule.kind == .expression {
            for text in [rule.check, rule.applies].compactMap({ $0 }) { add(text) }
        }
        // The conditions of aggregate rules' counts, on the rows of their tables.
        for rule in catalog.rules where rule.kind == .aggregate {
            for count in (rule.counts ?? [:]).values { count.when.map(add) }
        }
        return fields
    }

    public func passes(_ record: Record, context: ReturnContext) -> Bool { evaluate(RowValues(record), context) }

    /// The same, for a row several rules read: its values are typed once for all of them.
    func passes(_ row: RowValues, context: ReturnContext) -> Bool { evaluate(row, context) }

    static func comparison(_ op: String) -> ((Int) -> Bool)? {
        switch op {
        case "<": { $0 < 0 }
        case "<=": { $0 <= 0 }
        case ">": { $0 > 0 }
        case ">=": { $0 >= 0 }
        case "==": { $0 == 0 }
        case "!=": { $0 != 0 }
        default: nil
        }
    }
}
