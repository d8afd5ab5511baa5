import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

/// The engine of the rules about a whole return (`kind: aggregate`): what its counters count as the
/// validator hands them rows. The rules themselves are run on their cases by RuleCasesTests.
@Suite struct AggregateRulesTests {
    let catalog = TestSupport.catalog

    func context() -> ReturnContext { ReturnContext(key: ReturnKey(la: "350", collection: "cin", year: 2026)) }

    /// `*` binds tighter than `+` and `-`, as thresholds written as products need.
    @Test func multiplicationBindsTighterThanAddition() throws {
        let input = InputSpec(id: "t", collection: "cin", title: "t", fields: [FieldSpec(name: "a", type: .integer), FieldSpec(name: "b", type: .integer)])
        let row = RowValues(Record(row: 1, cells: ["3", "4"]))
        for (text, expected) in [("2 + a * b == 14", true), ("a * b - 2 == 10", true), ("a * 100 <= b * 2", false), ("a * b * 2 == 24", true)] {
            let compiled = try ExpressionCompiler.compile(text, input: input, catalog: catalog, year: 2026)
            #expect(compiled.evaluate(row, context()) == .bool(expected), "\(text)")
        }
    }

    /// Arithmetic past 64 bits (an integer field may hold any number of digits) is unknown, not a trap
    /// that would end the run: the comparison it feeds is null, so the rule neither passes nor fails.
    @Test func arithmeticThatOverflowsIsUnknown() throws {
        let input = InputSpec(id: "t", collection: "cin", title: "t", fields: [FieldSpec(name: "a", type: .integer), FieldSpec(name: "b", type: .integer)])
        let row = RowValues(Record(row: 1, cells: ["9223372036854775807", "2"]))
        for text in ["a + b > 0", "a * b > 0", "0 - a - b < 0"] {
            let compiled = try ExpressionCompiler.compile(text, input: input, catalog: catalog, year: 2026)
            #expect(compiled.evaluate(row, context()) == .null, "\(text)")
        }
        let fits = try ExpressionCompiler.compile("a - b > 0", input: input, catalog: catalog, year: 2026)
        #expect(fits.evaluate(row, context()) == .bool(true))
    }

    /// Counts see every row read, quarantined ones too, with the values as checked: a disability code
    /// in lower case counts as its code, one not in the list as blank (so not at all); `most` starts again
    /// for each child.
    @Test func countersSeeEveryRowAsChecked() throws {
        let spec = try #require(catalog.input("cin.disability"))
        let aggregates = try AggregateRules(catalog: catalog, collection: "cin", year: 2026)
        let context = context()
        func row(_ n: Int, _ child: String?, _ code: String) -> Record {
            Record(row: n, cells: spec.fields.map { $0.name == "LAchildID" ? child : ($0.name == "Disability" ? code : nil) })
        }
        let result = try TableValidator(spec: spec, catalog: catalog, year: 2026).validate([
            row(2, "C1", "MOB"), row(3, "C1", "hand"), row(4, "C2", "VIS"), row(5, "C3", "XYZ"), row(6, "C3", "PC"),
            row(7, nil, "INC"), row(8, "C4", "NONE"),
        ], source: "census.xml", context: context, aggregates: aggregates)
        #expect(!result.quarantined.isEmpty)
        #expect(aggregates.counts(of: "cin.return.Disability.fewer-than-8-codes") == ["codes": 5])
        #expect(aggregates.counts(of: "cin.return.Disability.one-per-child") == ["disabilities": 5, "most_one_child": 2])
        #expect(Set(aggregates.failing(context: context).map(\.id)) == ["cin.return.Disability.fewer-than-8-codes"])
    }
}
