import Foundation
import RCCCore

/// The functions conditions may call. Each checks its arguments when compiled, so a typo in
/// `schemas/rules/` fails when the rules load, not on the first row that reaches it.
///
/// | function | gives |
/// | --- | --- |
/// | `age(birth, on)` | whole years from the date `birth` to the date `on` |
/// | `days(from, to)` | days from `from` to `to` (negative when `to` is earlier) |
/// | `add_days(date, n)`, `add_years(date, n)` | the date moved |
/// | `date('2024-04-01')` | a date |
/// | `year(d)`, `month(d)`, `day(d)` | parts of a date |
/// | `weekday(d)` | the day of the week, 1 (Monday) to 7 (Sunday) |
/// | `len(x)` | characters in the text |
/// | `upper(x)`, `substr(x, from, count)` | text (`from` counts from 1) |
/// | `postcode_area(pc)` | the letters a postcode starts with (`SA` for `SA1 1AA`) |
/// | `matches(x, 'regex')` | whether the whole text matches |
/// | `in_codes(x, 'list')` | whether `x` is a code of the code list valid in the return's year |
/// | `exists('table')` | whether the row's foreign key to `table` finds a loaded row in the same return |
/// | `returned('table')` | whether the return has loaded rows of `table` at all (one the row's table refers to, so it loads first) |
/// | `coalesce(a, b, …)` | the first that is not blank |
enum ExpressionFunctions {
    /// The functions that only compute from their arguments, reading nothing of the return: given
    /// constants, they give the same value on every row.
    static let computes: Set<String> = ["age", "days", "add_days", "add_years", "date", "year", "month", "day", "weekday", "len", "upper",
                                        "substr", "postcode_area", "matches", "in_codes", "coalesce"]

    static let names = ["age", "days", "add_days", "add_years", "date", "year", "month", "day", "weekday", "len", "upper", "substr",
                        "postcode_area", "matches", "in_codes", "exists", "returned", "coalesce"]

    static func compile(_ name: String, _ arguments: [Expression], with compiler: inout ExpressionCompiler) throws -> CompiledExpression.Evaluate {
        func arity(_ n: Int) throws {
            guard arguments.count == n else { throw compiler.fail("\(name)() takes \(n) argument\(n == 1 ? "" : "s"), not \(arguments.count)") }
        }
        func text(_ i: Int) throws -> String {
            guard case .literal(.text(let s)) = arguments[i] else { throw compiler.fail("\(name)()'s argument \(i + 1) must be a 'text' literal") }
            return s
        }
        switch name {
        case "age", "days":
            try arity(2)
            let a = try compiler.compile(arguments[0]), b = try compiler.compile(arguments[1])
            let isAge = name == "age"
            return { record, context in
                guard case .date(let x) = a(record, context), case .date(let y) = b(record, context) else { return .null }
                return .number(isAge ? y.years(since: x) : y.days(since: x))
            }
        case "add_days", "add_years":
            try arity(2)
            let a = try compiler.compile(arguments[0]), b = try compiler.compile(arguments[1])
            let years = name == "add_years"
            return { record, context in
                guard case .date(let d) = a(record, context), case .number(let n) = b(record, context) else { return .null }
                if years {
                    let day = min(d.day, CivilDate.daysIn(month: d.month, year: d.year + n))
                    return CivilDate(year: d.year + n, month: d.month, day: day).map(Value.date) ?? .null
                }
                return CivilDate(dayNumber: d.dayNumber + n).map(Value.date) ?? .null
            }
        case "date":
            try arity(1)
            guard let date = CivilDate(iso: try text(0)) else { throw compiler.fail("date() takes 'yyyy-mm-dd'") }
            return { _, _ in .date(date) }
        case "year", "month", "day":
            try arity(1)
            let a = try compiler.compile(arguments[0])
            let part = name
            return { record, context in
                guard case .date(let d) = a(record, context) else { return .null }
                return .number(part == "year" ? d.year : (part == "month" ? d.month : d.day))
            }
        case "weekday":
            try arity(1)
            let a = try compiler.compile(arguments[0])
            return { record, context in
                guard case .date(let d) = a(record, context) else { return .null }
                // Day 719468 of `dayNumber` is Thursday 1 January 1970.
                let offset = (d.dayNumber - 719_468 + 3) % 7
                return .number((offset + 7) % 7 + 1)
            }
        case "len", "upper":
            try arity(1)
            let a = try compiler.compile(arguments[0])
            let isLength = name == "len"
            return { record, context in
                switch a(record, context) {
                case .text(let s): return isLength ? .number(s.count) : .text(FieldCheck.upper(s))
                case .number(let n): return isLength ? .number(String(n).count) : .text(String(n))
                default: return .null
                }
            }
        case "substr":
            try arity(3)
            let a = try compiler.compile(arguments[0]), from = try compiler.compile(arguments[1]), count = try compiler.compile(arguments[2])
            return { record, context in
                guard let s = Self.string(a(record, context)), case .number(let f) = from(record, context),
                      case .number(let n) = count(record, context), f >= 1, n >= 0 else { return .null }
                let chars = Array(s)
                guard f - 1 < chars.count else { return .text("") }
                return .text(String(chars[(f - 1)..<min(chars.count, f - 1 + n)]))
            }
        case "postcode_area":
            try arity(1)
            let a = try compiler.compile(arguments[0])
            return { record, context in
                guard let s = Self.string(a(record, context)) else { return .null }
                if let area = Self.asciiLetters(s) { return area.isEmpty ? .null : .text(area) }
                let area = s.uppercased().prefix { $0.isLetter }
                return area.isEmpty ? .null : .text(String(area))
            }
        case "matches":
            try arity(2)
            let a = try compiler.compile(arguments[0])
            let pattern = try text(1)
            guard let expression = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
                throw compiler.fail("matches(): '\(pattern)' is not a regular expression")
            }
            let match = PatternMatch(expression)
            return { record, context in
                guard let s = Self.string(a(record, context)) else { return .null }
                return .bool(match.test(s))
            }
        case "in_codes":
            try arity(2)
            let a = try compiler.compile(arguments[0])
            let id = try text(1)
            guard let list = compiler.catalog.codeLists[id] else { throw compiler.fail("in_codes(): no code list \(id)") }
            let codes = list.validCodes(in: compiler.year)
            return { record, context in
                guard let s = Self.string(a(record, context)) else { return .null }
                return .bool(codes.contains(FieldCheck.upper(s)))
            }
        case "exists":
            try arity(1)
            let table = try text(0)
            let input = compiler.input
            guard let foreignKey = input.foreignKeys?.first(where: { $0.reference.table == table }) else {
                throw compiler.fail("exists(): \(input.id) has no foreign key to \(table)")
            }
            let keys = foreignKey.fields.compactMap { input.index(of: $0) }
            return { row, context in .bool(context.isLoaded(table: table, key: KeyHash(keys.lazy.map { row.record.cells[$0] }))) }
        case "returned":
            try arity(1)
            let table = try text(0)
            guard compiler.input.foreignKeys?.contains(where: { $0.reference.table == table }) ?? false else {
                throw compiler.fail("returned(): \(compiler.input.id) has no foreign key to \(table), so it may load before it")
            }
            return { _, context in .bool(context.hasLoaded(table)) }
        case "coalesce":
            guard !arguments.isEmpty else { throw compiler.fail("coalesce() takes at least one argument") }
            let parts = try arguments.map { try compiler.compile($0) }
            return { record, context in
                for part in parts {
                    let value = part(record, context)
                    if value != .null { return value }
                }
                return .null
            }
        default:
            throw compiler.fail("no function \(name)() (functions: \(names.joined(separator: ", ")))")
        }
    }

    /// For ASCII text (a postcode, as written), the letters it starts with in upper case, as
    /// `uppercased().prefix { $0.isLetter }` gives them but without making the whole text anew; nil for
    /// other text.
    static func asciiLetters(_ text: String) -> String? {
        var letters = 0, lower = false, ended = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if ended { continue }
            switch byte {
            case 65...90: letters += 1
            case 97...122: letters += 1; lower = true
            default: ended = true
            }
        }
        let area = String(text.prefix(letters))
        return lower ? area.uppercased() : area
    }

    static func string(_ value: Value) -> String? {
        switch value {
        case .text(let s): s
        case .number(let n): String(n)
        case .date(let d): d.iso
        default: nil
        }
    }
}
