import RCCCore
import Testing
@testable import Validate

/// Conditions named once (`conditions:` in `schemas/rules/`) and used by name in rules.
@Suite struct NamedConditionsTests {
    /// A name stands for its condition in brackets, names inside it too; what it looks up counts as the
    /// rule's own look-ups (so the return keeps those fields).
    @Test func aNameStandsForItsCondition() throws {
        let conditions = ["adult": "age_at(ssda903.header.DOB, DECOM) >= limit", "limit": "18", "respite": "LS in ['V3', 'V4']"]
        let expanded = try ExpressionParser.parse("adult and not respite", conditions: conditions)
        let written = try ExpressionParser.parse("(age_at(ssda903.header.DOB, DECOM) >= 18) and not (LS in ['V3', 'V4'])")
        #expect(expanded == written)
        #expect(expanded.lookups.map { "\($0.table).\($0.field)" } == ["ssda903.header.DOB"])
    }

    @Test func aNameReferringToItselfIsRefused() throws {
        #expect {
            _ = try ExpressionParser.parse("a", conditions: ["a": "b or LS is blank", "b": "a"])
        } throws: { error in
            "\(error)".contains("a → b → a")
        }
    }
}
