import Foundation
import RCCCore

/// A condition compiled against one input table: names resolved to cell indexes, foreign keys and
/// code lists found, regular expressions and literals made once. Evaluating it on a row allocates little.
/// One row as conditions read it: its canonical cells, each typed (a date parsed, a number read) once,
/// on first use, for every rule that reads the row.
final class RowValues {
    let record: Record
    private var typed: [Value?]

    init(_ record: Record) {
        self.record = record
        typed = Array(repeating: nil, count: record.cells.count)
    }

    func value(_ index: Int, _ type: FieldSpec.FieldType) -> Value {
        if let known = typed[index] { return known }
        let value = ExpressionCompiler.typed(record.cells[index], type)
        typed[index] = value
        return value
    }
}

struct CompiledExpression {
    typealias Evaluate = (RowValues, ReturnContext) -> Value
    let evaluate: Evaluate
    /// The fields of other tables it looks up through foreign keys (table → fields): they must be kept
    /// in the return's context while the return loads.
    let lookups: [String: Set<String>]
}

/// Compiles `Expression`s for rows of one input table in one collection year.
struct ExpressionCompiler {
    let input: InputSpec
    let catalog: SchemaCatalog
    let year: Int
    let source: String
    private(set) var lookups: [String: Set<String>] = [:]

    init(input: InputSpec, catalog: SchemaCatalog, year: Int, source: String) {
        self.input = input
        self.catalog = catalog
        self.year = year
        self.source = source
    }

    /// Parses and compiles `text`.
    static func compile(_ text: String, input: InputSpec, catalog: SchemaCatalog, year: Int) throws -> CompiledExpression {
        var compiler = ExpressionCompiler(input: input, catalog: catalog, year: year, source: text)
        let evaluate = try compiler.compile(try ExpressionParser.parse(text, conditions: catalog.conditions))
        return CompiledExpression(evaluate: evaluate, lookups: compiler.lookups)
    }

    func fail(_ why: String) -> RCCError { RCCError(.schema, "condition \"\(source)\" on \(input.id): \(why)") }

    /// Collection year 2025 runs from 1 April 2024 to 31 March 2025.
    var collectionStart: CivilDate { CivilDate(year: year - 1, month: 4, day: 1)! }
    var collectionEnd: CivilDate { CivilDate(year: year, month: 3, day: 31)! }

    static func typed(_ text: String?, _ type: FieldSpec.FieldType) -> Value {
        guard let text else { return .null }
        switch type {
        case .date: return CivilDate(iso: text).map(Value.date) ?? .text(text)
        case .integer: return Int(text).map(Value.number) ?? .text(text)
        default: return .text(text)
        }
    }

    mutating func compile(_ expression: Expression) throws -> CompiledExpression.Evaluate {
        switch expression {
        case .literal(let value):
            return { _, _ in value }
        case .field(let name):
            guard let index = input.index(of: name) else {
                throw fail("\(name) is not a field of \(input.id) (fields: \(input.fields.map(\.name).joined(separator: ", ")))")
            }
            let type = input.fields[index].type
            return { row, _ in row.value(index, type) }
        case .lookup(let table, let field):
            guard let foreignKey = input.foreignKeys?.first(where: { $0.reference.table == table }) else {
                throw fail("\(input.id) has no foreign key to \(table), so \(table).\(field) cannot be looked up")
            }
            guard let target = catalog.input(table), let targetIndex = target.index(of: field) else {
                throw fail("\(field) is not a field of \(table)")
            }
            let keys = try foreignKey.fields.map { name -> Int in
                guard let i = input.index(of: name) else { throw fail("foreign key field \(name) is not in \(input.id)") }
                return i
            }
            let type = target.fields[targetIndex].type
            lookups[table, default: []].insert(field)
            if keys.count == 1, let key = keys.first {   // the usual case (a child id): no array a row
                return { row, context in
                    Self.typed(context.lookup(table: table, key: KeyHash(CollectionOfOne(row.record.cells[key])), field: field), type)
                }
            }
            return { row, context in
                Self.typed(context.lookup(table: table, key: keys.map { row.record.cells[$0] }, field: field), type)
            }
        case .previous(let table, let field):
            return try PreviousYearFunctions.previous(table: table, field: field, with: &self)
        case .constant("local_la"):
            let ons = SequenceRules.onsCodes(catalog)
            return { _, context in ons[context.key.la].map(Value.text) ?? .null }
        case .constant(let name):
            let value: Value = switch name {
            case "collection_start": .date(collectionStart)
            case "collection_end": .date(collectionEnd)
            default: .number(year)
            }
            return { _, _ in value }
        case .list(let items):
            if let constant = Self.constant(expression) { return { _, _ in constant } }
            let compiled = try items.map { try compile($0) }
            return { record, context in .list(compiled.map { $0(record, context) }) }
        case .unary(_, let inner):
            let operand = try compile(inner)
            return { record, context in
                if case .bool(let b) = operand(record, context) { return .bool(!b) }
                return .null
            }
        case .isBlank(let inner, let negated):
            let operand = try compile(inner)
            return { record, context in
                let blank: Bool = switch operand(record, context) {
                case .null: true
                case .text(let s): s.isEmpty
                default: false
                }
                return .bool(blank != negated)
            }
        case .member(let inner, let list, let negated):
            let operand = try compile(inner)
            // A list of literals (`PLACE in ['U1', 'U2']`, the usual case) is made once; text looked up
            // in a set of text literals is one hash, not a comparison per item.
            if case .list(let items)? = Self.constant(list) {
                let texts = items.compactMap { if case .text(let t) = $0 { t } else { nil } }
                if texts.count == items.count {
                    let set = Set(texts)
                    return { record, context in
                        switch operand(record, context) {
                        case .null: return .null
                        case .text(let value): return .bool(set.contains(value) != negated)
                        case let value: return .bool(items.contains { Self.compare(value, $0) == 0 } != negated)
                        }
                    }
                }
                return { record, context in
                    let value = operand(record, context)
                    guard value != .null else { return .null }
                    return .bool(items.contains { Self.compare(value, $0) == 0 } != negated)
                }
            }
            let options = try compile(list)
            return { record, context in
                let value = operand(record, context)
                guard value != .null, case .list(let items) = options(record, context) else { return .null }
                let found = items.contains { Self.compare(value, $0) == 0 }
                return .bool(found != negated)
            }
        case .binary(let op, let l, let r):
            let left = try compile(l), right = try compile(r)
            switch op {
            case "and":
                return { record, context in
                    let a = left(record, context)
                    if a == .bool(false) { return .bool(false) }
                    let b = right(record, context)
                    if b == .bool(false) { return .bool(false) }
                    return a == .bool(true) && b == .bool(true) ? .bool(true) : .null
                }
            case "or":
                return { record, context in
                    let a = left(record, context)
                    if a == .bool(true) { return .bool(true) }
                    let b = right(record, context)
                    if b == .bool(true) { return .bool(true) }
                    return a == .bool(false) && b == .bool(false) ? .bool(false) : .null
                }
            case "+", "-":
                let sign = op == "+" ? 1 : -1
                return { record, context in
                    switch (left(record, context), right(record, context)) {
                    case (.number(let a), .number(let b)):
                        // A number too big for 64 bits (an integer field may hold any) makes the result unknown,
                        // never a trap that would end the run.
                        let (sum, overflow) = sign > 0 ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
                        return overflow ? .null : .number(sum)
                    case (.date(let a), .date(let b)) where sign < 0: return .number(a.days(since: b))
                    default: return .null
                    }
                }
            case "*":
                return { record, context in
                    guard case .number(let a) = left(record, context), case .number(let b) = right(record, context) else { return .null }
                    let (product, overflow) = a.multipliedReportingOverflow(by: b)
                    return overflow ? .null : .number(product)
                }
            default:
                guard let test = RowRule.comparison(op) else { throw fail("\(op) is no operator") }
                return { record, context in
                    guard let order = Self.compare(left(record, context), right(record, context)) else { return .null }
                    return .bool(test(order))
                }
            }
        case .call(let name, let arguments):
            if let function = try PreviousYearFunctions.compile(name, arguments, with: &self) { return function }
            if let function = try ReferenceFunctions.compile(name, arguments, with: &self) { return function }
            return try ExpressionFunctions.compile(name, arguments, with: &self)
        }
    }

    /// The value of an expression that reads nothing of the row (a literal, or a list of literals).
    static func constant(_ expression: Expression) -> Value? {
        switch expression {
        case .literal(let value): value
        case .list(let items):
            items.allSatisfy({ if case .literal = $0 { true } else { false } })
                ? .list(items.compactMap { if case .literal(let v) = $0 { v } else { nil } }) : nil
        default: nil
        }
    }

    /// -1, 0 or 1; nil when either side is blank or they cannot be compared.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.number(let x), .number(let y)): return order(x, y)
        case (.date(let x), .date(let y)): return order(x, y)
        case (.text(let x), .text(let y)): return order(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.number(let x), .text(let y)): return Int(y).map { order(x, $0) } ?? order(String(x), y)
        case (.text(let x), .number(let y)): return Int(x).map { order($0, y) } ?? order(x, String(y))
        case (.date(let x), .text(let y)): return CivilDate(iso: y).map { order(x, $0) }
        case (.text(let x), .date(let y)): return CivilDate(iso: x).map { order($0, y) }
        default: return nil
        }
    }
}

extension CivilDate {
    /// Days from `other` to this date.
    func days(since other: CivilDate) -> Int { dayNumber - other.dayNumber }

    /// Days since a fixed epoch (civil-from-days, proleptic Gregorian).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe
    }

    init?(dayNumber z: Int) {
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Whole years from `birth` to this date (an age on this date).
    func years(since birth: CivilDate) -> Int {
        var years = year - birth.year
        if (month, day) < (birth.month, birth.day) { years -= 1 }
        return years
    }
}
