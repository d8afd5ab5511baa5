import Foundation

/// A regular expression asked of value after value, remembering what it said of values it has seen (a few
/// thousand at most): a column holds the same values over and over (`XXXXXXX` for most URNs, one reference
/// date on every child of a census), and a regular expression costs microseconds. Compiled once, when the
/// rules load, not looked up by its text on every row.
final class PatternMatch {
    let expression: NSRegularExpression
    private var seen: [String: Bool] = [:]
    /// The last value asked of, and the answer: the same value row after row is not even hashed.
    private var last: (value: String, found: Bool)?
    static let remembered = 4096

    init(_ expression: NSRegularExpression) {
        self.expression = expression
    }

    /// Whether the expression matches in `value`: somewhere in it, so the whole of it for the expressions
    /// given here, which are anchored (`matches()` wraps its pattern in `^(?:…)$`; the specs' field
    /// patterns are written with `^…$`).
    func test(_ value: String) -> Bool {
        if let last, last.value == value { return last.found }
        if let known = seen[value] { last = (value, known); return known }
        let found = expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        if seen.count >= Self.remembered { seen.removeAll(keepingCapacity: true) }
        seen[value] = found
        last = (value, found)
        return found
    }
}
