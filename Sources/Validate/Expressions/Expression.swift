import RCCCore

/// The small language rule conditions are written in (`schemas/rules/`), parsed once per run.
///
///     DEC is not blank and DEC < DECOM
///     LS in ['V3', 'V4'] or PLACE not in ['P1', 'P2']
///     age(ssda903.header.DOB, DECOM) >= 18
///     DECOM >= collection_start and days(DECOM, DEC) <= 7
///
/// - Names: a field of the rule's table (`DECOM`), or `TABLE.FIELD` of a table the rule's table refers
///   to by foreign key (`ssda903.header.DOB`: the row's child's Header row, in the same return).
/// - Literals: `'text'`, whole numbers, `null`, lists `['A', 'B']`, `true`, `false`.
/// - Operators, loosest first: `or`, `and`, `not`, comparisons (`==` `!=` `<` `<=` `>` `>=`,
///   `in [..]`, `not in [..]`, `is blank`, `is not blank`), `+` `-`, `*` (whole numbers).
/// - Constants of the return: `collection_year` (2025 for 2024-25), `collection_start` (1 April
///   before it), `collection_end` (31 March of it), `local_la` (the ONS code of the return's LA, from
///   `schemas/codes/la-england.yaml`; blank for an LA not listed there).
/// - Functions: see `ExpressionFunctions`.
/// - Last year: `last(TABLE.FIELD)` is FIELD of the row's child's row of TABLE in the same LA's return
///   of the year before (its latest row, for a table of several rows a child); `in_last('TABLE')`
///   whether the child has a row of TABLE there (see `PreviousYearFunctions`). A rule using them says
///   `needs: [previous-year]` and runs only when that return is supplied (`--reference DIR`).
///
/// A blank makes a comparison unknown, and an unknown check passes: a rule fails a row only when its
/// condition is plainly false (blanks are the business of required-ness rules).
indirect enum Expression: Equatable, Sendable {
    case literal(Value)
    case field(String)
    /// `TABLE.FIELD` through the row's foreign key to TABLE.
    case lookup(table: String, field: String)
    /// `last(TABLE.FIELD)`: the row's child's row of TABLE in the previous year's return.
    case previous(table: String, field: String)
    case constant(String)
    case list([Expression])
    case call(String, [Expression])
    case unary(String, Expression)
    case binary(String, Expression, Expression)
    /// `x is blank` (`negated`: `is not blank`).
    case isBlank(Expression, negated: Bool)
    /// `x in [..]` (`negated`: `not in`).
    case member(Expression, Expression, negated: Bool)
}

extension Expression {
    /// The `TABLE.FIELD` names it looks up.
    var lookups: [(table: String, field: String)] {
        switch self {
        case .lookup(let table, let field): [(table, field)]
        case .literal, .field, .constant, .previous: []
        case .list(let items), .call(_, let items): items.flatMap(\.lookups)
        case .unary(_, let inner), .isBlank(let inner, _): inner.lookups
        case .binary(_, let l, let r), .member(let l, let r, _): l.lookups + r.lookups
        }
    }

    /// The `last(TABLE.FIELD)` names it reads from the previous year's return, and the tables of its
    /// `in_last('TABLE')` and `returned_last('TABLE')` (with no field).
    var previousLookups: [(table: String, field: String?)] {
        switch self {
        case .previous(let table, let field): [(table, field)]
        case .call("in_last", let items), .call("returned_last", let items):
            items.compactMap { if case .literal(.text(let table)) = $0 { (table, nil) } else { nil } }
        case .literal, .field, .constant, .lookup: []
        case .list(let items), .call(_, let items): items.flatMap(\.previousLookups)
        case .unary(_, let inner), .isBlank(let inner, _): inner.previousLookups
        case .binary(_, let l, let r), .member(let l, let r, _): l.previousLookups + r.previousLookups
        }
    }
}

/// A value while a condition is evaluated: the field's canonical text typed by its spec.
enum Value: Equatable, Sendable, CustomStringConvertible {
    case null
    case text(String)
    case number(Int)
    case date(CivilDate)
    case bool(Bool)
    case list([Value])

    var description: String {
        switch self {
        case .null: "null"
        case .text(let s): "'\(s)'"
        case .number(let n): String(n)
        case .date(let d): d.iso
        case .bool(let b): String(b)
        case .list(let l): "[" + l.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// Reads a condition into an `Expression`, or says where it goes wrong.
struct ExpressionParser {
    enum Token: Equatable {
        case name(String), text(String), number(Int), symbol(String), end
    }

    private var tokens: [Token] = []
    private var position = 0
    let source: String

    static let constants: Set<String> = ["collection_year", "collection_start", "collection_end", "local_la"]

    init(_ source: String) throws {
        self.source = source
        tokens = try Self.tokenize(source)
    }

    static func parse(_ source: String) throws -> Expression {
        var parser = try ExpressionParser(source)
        let expression = try parser.or()
        guard parser.peek == .end else { throw parser.fail("unexpected \(parser.describe(parser.peek))") }
        return expression
    }

    /// Parses `source`, a bare name of one of `conditions` (the catalog's named conditions, `conditions:`
    /// in `schemas/rules/`) standing for that condition, in brackets: `uasc_last_year and DUC is blank`.
    static func parse(_ source: String, conditions: [String: String]) throws -> Expression {
        try expand(parse(source), conditions: conditions, within: [], source: source)
    }

    private static func expand(_ expression: Expression, conditions: [String: String], within: [String],
                               source: String) throws -> Expression {
        func again(_ inner: Expression) throws -> Expression { try expand(inner, conditions: conditions, within: within, source: source) }
        switch expression {
        case .field(let name):
            guard let text = conditions[name] else { return expression }
            guard !within.contains(name) else {
                throw RCCError(.schema, "condition \"\(source)\": named condition \(name) refers to itself (\((within + [name]).joined(separator: " → ")))")
            }
            do {
                return try expand(parse(text), conditions: conditions, within: within + [name], source: source)
            } catch let error as RCCError {
                throw RCCError(.schema, "named condition \(name): \(error.message)")
            }
        case .literal, .lookup, .previous, .constant: return expression
        case .list(let items): return .list(try items.map(again))
        case .call(let name, let items): return .call(name, try items.map(again))
        case .unary(let op, let inner): return .unary(op, try again(inner))
        case .binary(let op, let l, let r): return .binary(op, try again(l), try again(r))
        case .isBlank(let inner, let negated): return .isBlank(try again(inner), negated: negated)
        case .member(let l, let r, let negated): return .member(try again(l), try again(r), negated: negated)
        }
    }

    func fail(_ why: String) -> RCCError { RCCError(.schema, "condition \"\(source)\": \(why)") }

    static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        func error(_ why: String) -> RCCError { RCCError(.schema, "condition \"\(text)\": \(why)") }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "'" {
                var j = i + 1, value = ""
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count && chars[j + 1] == "'" { value.append("'"); j += 2; continue }
                        break
                    }
                    value.append(chars[j])
                    j += 1
                }
                guard j < chars.count else { throw error("a text literal is not closed") }
                tokens.append(.text(value))
                i = j + 1
            } else if c.isNumber {
                var j = i
                while j < chars.count && chars[j].isNumber { j += 1 }
                tokens.append(.number(Int(String(chars[i..<j]))!))
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == ".") { j += 1 }
                tokens.append(.name(String(chars[i..<j])))
                i = j
            } else {
                let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    tokens.append(.symbol(two))
                    i += 2
                } else if "<>()[],+-*".contains(c) {
                    tokens.append(.symbol(String(c)))
                    i += 1
                } else {
                    throw error("\"\(c)\" is not part of the language")
                }
            }
        }
        tokens.append(.end)
        return tokens
    }

    var peek: Token { tokens[position] }

    func describe(_ token: Token) -> String {
        switch token {
        case .name(let n): "\"\(n)\""
        case .text(let t): "'\(t)'"
        case .number(let n): String(n)
        case .symbol(let s): "\"\(s)\""
        case .end: "the end"
        }
    }

    mutating func next() -> Token {
        defer { position += 1 }
        return tokens[position]
    }

    mutating func accept(_ word: String) -> Bool {
        if case .name(let n) = peek, n == word { position += 1; return true }
        if case .symbol(let s) = peek, s == word { position += 1; return true }
        return false
    }

    mutating func expect(_ word: String) throws {
        guard accept(word) else { throw fail("expected \"\(word)\" but found \(describe(peek))") }
    }

    mutating func or() throws -> Expression {
        var left = try and()
        while accept("or") { left = .binary("or", left, try and()) }
        return left
    }

    mutating func and() throws -> Expression {
        var left = try not()
        while accept("and") { left = .binary("and", left, try not()) }
        return left
    }

    mutating func not() throws -> Expression {
        if accept("not") { return .unary("not", try not()) }
        return try comparison()
    }

    mutating func comparison() throws -> Expression {
        let left = try sum()
        if case .symbol(let s) = peek, ["==", "!=", "<", "<=", ">", ">="].contains(s) {
            position += 1
            return .binary(s, left, try sum())
        }
        if accept("is") {
            let negated = accept("not")
            try expect("blank")
            return .isBlank(left, negated: negated)
        }
        if accept("in") { return .member(left, try sum(), negated: false) }
        if case .name("not") = peek, position + 1 < tokens.count, tokens[position + 1] == .name("in") {
            position += 2
            return .member(left, try sum(), negated: true)
        }
        return left
    }

    mutating func sum() throws -> Expression {
        var left = try product()
        while true {
            if accept("+") { left = .binary("+", left, try product()) } else if accept("-") {
                left = .binary("-", left, try product())
            } else { return left }
        }
    }

    mutating func product() throws -> Expression {
        var left = try primary()
        while accept("*") { left = .binary("*", left, try primary()) }
        return left
    }

    mutating func primary() throws -> Expression {
        switch next() {
        case .number(let n): return .literal(.number(n))
        case .text(let t): return .literal(.text(t))
        case .symbol("-"):
            guard case .number(let n) = next() else { throw fail("a minus sign must come before a number") }
            return .literal(.number(-n))
        case .symbol("("):
            let inner = try or()
            try expect(")")
            return inner
        case .symbol("["):
            var items: [Expression] = []
            if !accept("]") {
                repeat { items.append(try primary()) } while accept(",")
                try expect("]")
            }
            return .list(items)
        case .name(let name):
            switch name {
            case "null": return .literal(.null)
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            default: break
            }
            if Self.constants.contains(name) { return .constant(name) }
            if accept("(") {
                var arguments: [Expression] = []
                if !accept(")") {
                    repeat { arguments.append(try or()) } while accept(",")
                    try expect(")")
                }
                if name == "last" {
                    guard arguments.count == 1, case .lookup(let table, let field) = arguments[0] else {
                        throw fail("last() takes one TABLE.FIELD name (last(ssda903.header.SEX))")
                    }
                    return .previous(table: table, field: field)
                }
                return .call(name, arguments)
            }
            if let dot = name.lastIndex(of: ".") {
                return .lookup(table: String(name[..<dot]), field: String(name[name.index(after: dot)...]))
            }
            return .field(name)
        case let other:
            throw fail("unexpected \(describe(other))")
        }
    }
}
