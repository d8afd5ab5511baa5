import Foundation
import Testing
@testable import Validate

@Suite struct PatternMatchTests {
    /// What it remembers never changes an answer: the same value again, values in turn, and more values
    /// than it remembers, each answered as the regular expression answers it.
    @Test func answersAsTheExpressionDoesWhateverItRemembers() throws {
        let expression = try NSRegularExpression(pattern: "^(?:[\\p{L}\\p{N}]+)$")
        let match = PatternMatch(expression)
        func truth(_ value: String) -> Bool {
            expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        }
        let values = ["Abc123", "Abc123", "ABC-123", "Abc123", "ABC 123", "Ünïcødé9", "", "ABC_123", "ABC_123"]
        for value in values { #expect(match.test(value) == truth(value), "\(value)") }
        let many = (0..<(PatternMatch.remembered + 50)).map { $0 % 3 == 0 ? "C\($0)" : "C-\($0)" }
        for value in many + many.reversed() { #expect(match.test(value) == truth(value)) }
        #expect(match.test("C0") && !match.test("C-1"))
    }
}
