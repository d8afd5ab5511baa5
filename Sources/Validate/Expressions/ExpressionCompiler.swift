import Foundation
import RCCCore

/// Whether a condition holds on a row: yes, no, or unknown (a blank, or values that cannot be compared,
/// leave it open; see `Expression`). Conditions are answered in this rather than in a `Value`: a rule asks
/// dozens of them of every row, and a one-byte answer is made and compared without counting references.
enum Truth: UInt8, Sendable {
    case no, yes, unknown

    /// `.bool(true)` is yes, `.bool(false)` no, anything else unknown: how `and`, `or`, `not` and a rule
    /// read a value that is not a comparison's.
    init(_ value: Value) {
        switch value {
        case .bool(true): self = .yes
        case .bool(false): self = .no
        default: self = .unknown
        }
    }

    /// The answer as a value: `.bool`, or `.null` when unknown.
    var value: Value {
        switch self {
        case .yes: .bool(true)
        case .no: .bool(false)
        case .unknown: .null
        }
    }
}

/// One row as conditions read it: its canonical cells, each date or whole number read once, on first
/// use, for every rule that reads the row. A struct over storage (`TypedCells`) that a validator reuses row
/// after row: every rule of every row is handed one, so making it must allocate nothing, and reading a
/// cell must not count references.
struct RowValues {
    let record: Record
    private let typed: TypedCells

    /// A row read on its own (a test, a whole return's counts).
    init(_ record: Record) {
        self.init(record, reusing: TypedCells(count: record.cells.count))
    }

    /// A row read with `cells`, which forget the row read before: the `RowValues` of that row must not be
    /// read again.
    init(_ record: Record, reusing cells: TypedCells) {
        self.record = record
        typed = cells.count >= record.cells.count ? cells : TypedCells(count: record.cells.count)
        typed.forget()
    }


    /// The cell as a value of `type`: a date or whole number when it reads as one, else its text.
    func value(_ index: Int, _ type: FieldSpec.FieldType) -> Value {
        switch type {
        case .date: if let date = date(index) { return .date(date) }
        case .integer: if let number = number(index) { return .number(number) }
        default: break
        }
        return record.cells[index].map(Value.text) ?? .null
    }

    /// The cell read as an ISO date (`CivilDate(iso:)`); nil when blank or not a date.
    func date(_ index: Int) -> CivilDate? {
        let slot = typed.slots + index
        switch slot.pointee.state {
        case .date: return slot.pointee.date
        case .notDate: return nil
        default:
            if let text = record.cells[index], let date = CivilDate(iso: text) {
                slot.pointee = TypedCells.Slot(state: .date, number: TypedCells.order(date), date: date)
                return date
            }
            slot.pointee.state = .notDate
            return nil
        }
    }

    /// The date's place in the order of dates (`TypedCells.order`); nil when blank or not a date.
    func dateOrder(_ index: Int) -> Int? {
        let slot = typed.slots + index
        if slot.pointee.state == .date { return slot.pointee.number }
        return date(index).map(TypedCells.order)
    }

    /// The cell packed (`ShortText`); nil when blank or too long or not ASCII.
    func packed(_ index: Int) -> UInt64? {
        let slot = typed.slots + index
        switch slot.pointee.state {
        case .packed: return UInt64(bitPattern: Int64(slot.pointee.number))
        case .notPacked: return nil
        default:
            if let text = record.cells[index], let packed = ShortText.pack(text) {
                slot.pointee.state = .packed
                slot.pointee.number = Int(Int64(bitPattern: packed))
                return packed
            }
            slot.pointee.state = .notPacked
            return nil
        }
    }

    /// The cell read as a whole number (`Int(text)`); nil when blank or not one.
    func number(_ index: Int) -> Int? {
        let slot = typed.slots + index
        switch slot.pointee.state {
        case .number: return slot.pointee.number
        case .notNumber: return nil
        default:
            if let text = record.cells[index], let number = Int(text) {
                slot.pointee.state = .number
                slot.pointee.number = number
                return number
            }
            slot.pointee.state = .notNumber
            return nil
        }
    }
}

/// What the rules have read of a row's cells so far, cell by cell: storage a validator keeps for all its
/// rows (`RowValues` forgets it row by row). Plain memory with no reference counting in it, reached
/// through a constant pointer, so reading and writing it needs no exclusivity check.
final class TypedCells {
    enum State: UInt8 { case unread, date, notDate, number, notNumber, packed, notPacked }

    struct Slot {
        var state: State = .unread
        /// A whole number, a date's `order`, or packed text's bits.
        var number = 0
        var date: CivilDate?
    }

    let slots: UnsafeMutablePointer<Slot>
    let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: Swift.max(count, 1))
        slots.initialize(repeating: Slot(), count: Swift.max(count, 1))
    }

    deinit { slots.deallocate() }

    /// Marks every cell unread.
    func forget() {
        for i in 0..<count { slots[i].state = .unread }
    }

    /// A whole number that orders dates as they fall (year, then month, then day).
    static func order(_ date: CivilDate) -> Int { date.year << 9 | date.month << 5 | date.day }
}

struct CompiledExpression {
    typealias Evaluate = (RowValues, ReturnContext) -> Value
    typealias Test = (RowValues, ReturnContext) -> Truth
    /// The expression's value.
    let evaluate: Evaluate
    /// The same read as a condition (`Truth(evaluate(…))`), made without values where it can be.
    let test: Test
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
        let expression = try ExpressionParser.parse(text, conditions: catalog.conditions)
        let evaluate = try compiler.compile(expression)
        let test = try compiler.condition(expression)
        return CompiledExpression(evaluate: evaluate, test: test, lookups: compiler.lookups)
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

    /// The expression's value on a row. A part that reads nothing of the row or the return
    /// (`add_years(collection_end, -11)`, `['V3', 'V4']`) is worked out here, once.
    mutating func compile(_ expression: Expression) throws -> CompiledExpression.Evaluate {
        guard Self.readsNothing(expression) else { return try compileValue(expression) }
        let value = try constant(of: expression)
        return { _, _ in value }
    }

    /// The index of field `name` of the input, or why there is none.
    func fieldIndex(_ name: String) throws -> Int {
        guard let index = input.index(of: name) else {
            throw fail("\(name) is not a field of \(input.id) (fields: \(input.fields.map(\.name).joined(separator: ", ")))")
        }
        return index
    }

    private mutating func compileValue(_ expression: Expression) throws -> CompiledExpression.Evaluate {
        switch expression {
        case .literal(let value):
            return { _, _ in value }
        case .field(let name):
            let index = try fieldIndex(name)
            switch input.fields[index].type {
            case .date, .integer:
                let type = input.fields[index].type
                return { row, _ in row.value(index, type) }
            default:
                return { row, _ in row.record.cells[index].map(Value.text) ?? .null }
            }
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
                Self.typed(context.lookup(table: table, key: KeyHash(keys.lazy.map { row.record.cells[$0] }), field: field), type)
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
        case .binary(let op, let l, let r) where op == "+" || op == "-":
            let left = try compile(l), right = try compile(r)
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
        case .binary("*", let l, let r):
            let left = try compile(l), right = try compile(r)
            return { record, context in
                guard case .number(let a) = left(record, context), case .number(let b) = right(record, context) else { return .null }
                let (product, overflow) = a.multipliedReportingOverflow(by: b)
                return overflow ? .null : .number(product)
            }
        case .unary, .isBlank, .member, .binary:
            // `not`, `and`, `or`, comparisons: a condition, its answer as a value.
            let test = try unfoldedCondition(expression)
            return { record, context in test(record, context).value }
        case .call(let name, let arguments):
            if let function = try PreviousYearFunctions.compile(name, arguments, with: &self) { return function }
            if let function = try ReferenceFunctions.compile(name, arguments, with: &self) { return function }
            return try ExpressionFunctions.compile(name, arguments, with: &self)
        }
    }

    /// The expression read as a condition: `Truth(value)`, but made without values for the shapes the
    /// rules are mostly written in, which read the row's cells as they are: `FIELD is blank`,
    /// `FIELD in ['A', 'B']`, `FIELD == 'X'`, a date field against a date or another date field, and
    /// `and`, `or` and `not` of such.
    mutating func condition(_ expression: Expression) throws -> CompiledExpression.Test {
        guard Self.readsNothing(expression) else { return try unfoldedCondition(expression) }
        let truth = Truth(try constant(of: expression))
        return { _, _ in truth }
    }

    /// The value of an expression that reads nothing of the row or the return (`readsNothing`).
    private mutating func constant(of expression: Expression) throws -> Value {
        try compileValue(expression)(RowValues(Record(row: 0, cells: [])),
                                     ReturnContext(key: ReturnKey(la: "", collection: input.collection, year: year)))
    }

    private mutating func unfoldedCondition(_ expression: Expression) throws -> CompiledExpression.Test {
        switch expression {
        case .binary("and", let l, let r):
            let left = try condition(l), right = try condition(r)
            return { row, context in
                let a = left(row, context)
                if a == .no { return .no }
                let b = right(row, context)
                if b == .no { return .no }
                return a == .yes && b == .yes ? .yes : .unknown
            }
        case .binary("or", let l, let r):
            let left = try condition(l), right = try condition(r)
            return { row, context in
                let a = left(row, context)
                if a == .yes { return .yes }
                let b = right(row, context)
                if b == .yes { return .yes }
                return a == .no && b == .no ? .no : .unknown
            }
        case .unary(_, let inner):
            let operand = try condition(inner)
            return { row, context in
                switch operand(row, context) {
                case .yes: .no
                case .no: .yes
                case .unknown: .unknown
                }
            }
        case .isBlank(let inner, let negated):
            if case .field(let name) = inner {
                // Blank whatever the field's type: a cell that is not there, or empty text.
                let index = try fieldIndex(name)
                return { row, _ in
                    let blank = row.record.cells[index]?.isEmpty ?? true
                    return blank != negated ? .yes : .no
                }
            }
            let operand = try compile(inner)
            return { row, context in
                let blank: Bool = switch operand(row, context) {
                case .null: true
                case .text(let s): s.isEmpty
                default: false
                }
                return blank != negated ? .yes : .no
            }
        case .member(let inner, let list, let negated):
            return try member(inner, list, negated: negated)
        case .binary(let op, let l, let r) where op != "+" && op != "-" && op != "*":
            return try comparison(op, l, r)
        default:
            let evaluate = try compile(expression)
            return { row, context in Truth(evaluate(row, context)) }
        }
    }

    /// `inner in list` (`negated`: `not in`).
    private mutating func member(_ inner: Expression, _ list: Expression, negated: Bool) throws -> CompiledExpression.Test {
        let operand = try compile(inner)
        let yes: Truth = negated ? .no : .yes, no: Truth = negated ? .yes : .no
        guard Self.readsNothing(list) else {
            let options = try compile(list)
            return { row, context in
                let value = operand(row, context)
                guard value != .null, case .list(let items) = options(row, context) else { return .unknown }
                return items.contains { Self.compare(value, $0) == 0 } ? yes : no
            }
        }
        // A list that reads nothing of the row (`PLACE in ['U1', 'U2']`, the usual case) is made once.
        guard case .list(let items) = try constant(of: list) else {
            return { _, _ in .unknown }
        }
        let texts = items.compactMap { if case .text(let t) = $0 { t } else { nil } }
        guard texts.count == items.count else {
            return { row, context in
                let value = operand(row, context)
                guard value != .null else { return .unknown }
                return items.contains { Self.compare(value, $0) == 0 } ? yes : no
            }
        }
        // Text looked up in a set of text literals is one hash, not a comparison per item; a field read
        // as text is its cell, read as it is.
        let set = Set(texts)
        if case .field(let name) = inner, let index = input.index(of: name), Self.readsAsText(input.fields[index].type) {
            if texts.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
                // ASCII codes: a cell of a few ASCII letters is found by number (`ShortText`), once packed
                // for every rule that reads it; any other cell by the set.
                let packed = texts.compactMap(ShortText.pack).sorted()
                return { row, _ in
                    guard let cell = row.record.cells[index] else { return .unknown }
                    if let code = row.packed(index) { return ShortText.contains(packed, code) ? yes : no }
                    return set.contains(cell) ? yes : no
                }
            }
            return { row, _ in
                guard let cell = row.record.cells[index] else { return .unknown }
                return set.contains(cell) ? yes : no
            }
        }
        return { row, context in
            switch operand(row, context) {
            case .null: return .unknown
            case .text(let value): return set.contains(value) ? yes : no
            case let value: return items.contains { Self.compare(value, $0) == 0 } ? yes : no
            }
        }
    }

    /// What one side of a comparison is, when it can be read without making a value.
    private enum Side {
        /// A field read as text (`readsAsText`): its cell as it is.
        case text(Int)
        /// A date field: its cell read as a date, once a row (`RowValues.date`).
        case date(Int)
        /// A value that reads nothing of the row, worked out once.
        case constant(Value)
        case other
    }

    private mutating func side(_ expression: Expression) throws -> Side {
        if Self.readsNothing(expression) {
            return .constant(try constant(of: expression))
        }
        guard case .field(let name) = expression, let index = input.index(of: name) else { return .other }
        let type = input.fields[index].type
        if type == .date { return .date(index) }
        return Self.readsAsText(type) ? .text(index) : .other
    }

    /// `l op r`, for `==`, `!=`, `<`, `<=`, `>`, `>=`: unknown when `compare` gives no order.
    private mutating func comparison(_ op: String, _ l: Expression, _ r: Expression) throws -> CompiledExpression.Test {
        var left = try compile(l), right = try compile(r)
        guard var holds = Comparison(op) else { throw fail("\(op) is no operator") }
        var sides = (try side(l), try side(r))
        // A constant on the left is put on the right, the comparison turned round (`a < b` is `b > a`,
        // `compare` giving the opposite order with its sides swapped).
        if case .constant = sides.0 {
            if case .constant = sides.1 {} else {
                sides = (sides.1, sides.0)
                (left, right) = (right, left)
                holds = holds.reversed
            }
        }
        switch sides {
        case (.text(let i), .constant(.text(let constant))):
            if holds == .equal || holds == .notEqual {
                let equal: Truth = holds == .equal ? .yes : .no, unequal: Truth = holds == .equal ? .no : .yes
                return { row, _ in
                    guard let cell = row.record.cells[i] else { return .unknown }
                    return cell == constant ? equal : unequal
                }
            }
            return { row, _ in
                guard let cell = row.record.cells[i] else { return .unknown }
                return holds.test(Self.order(cell, constant))
            }
        case (.text(let i), .text(let j)):
            return { row, _ in
                guard let a = row.record.cells[i], let b = row.record.cells[j] else { return .unknown }
                return holds.test(Self.order(a, b))
            }
        case (.date(let i), .constant(.date(let constant))):
            // A cell that is no date compares with a date as unknown (`compare`), as a blank does.
            let bound = TypedCells.order(constant)
            return { row, _ in
                guard let date = row.dateOrder(i) else { return .unknown }
                return holds.test(Self.order(date, bound))
            }
        case (.date(let i), .date(let j)):
            return { row, context in
                if let a = row.dateOrder(i), let b = row.dateOrder(j) { return holds.test(Self.order(a, b)) }
                // Blank, or text that is no date (compared as text with text).
                guard let order = Self.compare(left(row, context), right(row, context)) else { return .unknown }
                return holds.test(order)
            }
        default:
            return { row, context in
                guard let order = Self.compare(left(row, context), right(row, context)) else { return .unknown }
                return holds.test(order)
            }
        }
    }

    /// Whether a field of `type` reads as its text (`typed`): all but dates and whole numbers.
    static func readsAsText(_ type: FieldSpec.FieldType) -> Bool { type != .date && type != .integer }

    /// Whether the expression reads nothing of the row or the return, so that its value is the same on
    /// every row: literals, the year's constants but `local_la`, and the functions that only compute,
    /// of such.
    static func readsNothing(_ expression: Expression) -> Bool {
        switch expression {
        case .literal: true
        case .constant(let name): name != "local_la"
        case .field, .lookup, .previous: false
        case .list(let items): items.allSatisfy(readsNothing)
        case .call(let name, let arguments): ExpressionFunctions.computes.contains(name) && arguments.allSatisfy(readsNothing)
        case .unary(_, let inner), .isBlank(let inner, _): readsNothing(inner)
        case .binary(_, let l, let r), .member(let l, let r, _): readsNothing(l) && readsNothing(r)
        }
    }

    static func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }

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

/// A comparison operator, tested on the order `compare` gives (-1, 0, 1).
enum Comparison: Equatable {
    case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual

    init?(_ op: String) {
        switch op {
        case "<": self = .less
        case "<=": self = .lessOrEqual
        case ">": self = .greater
        case ">=": self = .greaterOrEqual
        case "==": self = .equal
        case "!=": self = .notEqual
        default: return nil
        }
    }

    func holds(_ order: Int) -> Bool {
        switch self {
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        case .equal: order == 0
        case .notEqual: order != 0
        }
    }

    func test(_ order: Int) -> Truth { holds(order) ? .yes : .no }

    /// The operator with its sides swapped: `a < b` is `b > a`.
    var reversed: Comparison {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        case .equal, .notEqual: self
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
