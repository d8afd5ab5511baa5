import Foundation
import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

/// Every rule in `schemas/rules/` against the rows written beside it (`cases`): each must pass its
/// `pass` rows and fail its `fail` rows, run through the engine as a return's rows are, from the data
/// files alone. A rule without at least one of each fails here: a rule nobody has seen fail is a guess.
@Suite struct RuleCasesTests {
    static let catalog = TestSupport.catalog

    /// The year a rule's cases run in: 2025-26 (2026) when the rule is in force then, else its first year.
    static func year(of rule: RuleSpec) -> Int {
        rule.isInForce(in: 2026) ? 2026 : (rule.years?.from ?? rule.years?.to ?? 2026)
    }

    /// A row of `spec` from field names to values as a return writes them, made canonical the way
    /// validation makes it (dates to ISO, codes to upper case…). A value that does not pass its field's
    /// check is kept as written: some rules are about such values.
    static func row(_ values: [String: String], of spec: InputSpec, year: Int, line: Int = 2) throws -> Record {
        for name in values.keys where spec.index(of: name) == nil {
            throw TestWarehouses.TestError("\(spec.id) has no field \(name)")
        }
        let cells: [String?] = spec.fields.map { field in
            guard let raw = values[field.name], !raw.isEmpty else { return nil }
            switch FieldCheck(field: field, table: spec.id, catalog: catalog, year: year).check(raw) {
            case .valid(let value): return value ?? raw
            case .repaired(let value): return value
            case .date(let value, _, _): return value
            case .invalid: return raw
            }
        }
        return Record(row: line, cells: cells)
    }

    static var rulesWithCases: [RuleSpec] { catalog.rules }

    @Test(arguments: rulesWithCases.map(\.id))
    func ruleMeetsItsCases(id: String) throws {
        let rule = try #require(Self.catalog.rules.first { $0.id == id })
        let cases = rule.cases ?? []
        let spec = try #require(Self.catalog.input(rule.table))
        let year = Self.year(of: rule)
        if rule.kind == .sequence {
            // One child's rows together: the rows that must fail, and (in some case) a child with none failing.
            #expect(cases.contains { !($0.failing ?? []).isEmpty }, "\(id) has no rows it must fail")
            #expect(cases.contains { ($0.failing ?? []).isEmpty && $0.rows != nil }, "\(id) has no rows that all pass")
            let compiled = try SequenceRules.compile(rule, input: spec, catalog: Self.catalog)
            for (n, example) in cases.enumerated() {
                let rows = try (example.rows ?? []).enumerated().map { try Self.row($0.element, of: spec, year: year, line: $0.offset + 2) }
                // The child's rows of the other tables it reads (`with`); a table left out of `with` is one
                // the return has no rows of (an empty list: rows of other children only).
                var others = ChildRows(returned: Set((example.with ?? [:]).keys).union([rule.table]))
                for (table, indexes) in compiled.otherIndexes {
                    let other = try #require(Self.catalog.input(table))
                    others.tables[table] = try (example.with?[table] ?? []).map { values in
                        let row = try Self.row(values, of: other, year: year)
                        return indexes.map { row.cells[$0] }
                    }
                }
                for table in (example.with ?? [:]).keys where compiled.otherIndexes[table] == nil {
                    Issue.record("\(id) case \(n + 1): \(table) is not one of the rule's tables")
                }
                let failing = compiled.failing(rows.map { row in compiled.indexes.map { row.cells[$0] } }, others: others,
                                               in: CollectionPeriod(year: year))
                    .map { $0 + 1 }.sorted()
                #expect(failing == (example.failing ?? []).sorted(), "\(id) case \(n + 1): \(example.note ?? "")")
            }
            return
        }
        #expect(cases.contains { $0.pass != nil }, "\(id) has no row it must pass")
        #expect(cases.contains { $0.fail != nil }, "\(id) has no row it must fail")
        for (n, example) in cases.enumerated() {
            let key = ReturnKey(la: "350", collection: spec.collection, year: year)
            let context = ReturnContext(key: key, retainedFields: RowRule.lookupFields(Self.catalog))
            // Rows of other tables the case needs (a Header row for an Episodes rule), loaded first.
            for (table, rows) in example.with ?? [:] {
                let other = try #require(Self.catalog.input(table), "\(id) case \(n + 1): no table \(table)")
                let validator = try TableValidator(spec: other, catalog: Self.catalog, year: year)
                for values in rows { validator.register(try Self.row(values, of: other, year: year), context: context) }
            }
            let compiled = try RowRule(rule, input: spec, catalog: Self.catalog, year: year)
            for values in example.before ?? [] { _ = compiled.passes(try Self.row(values, of: spec, year: year), context: context) }
            if let values = example.pass {
                #expect(compiled.passes(try Self.row(values, of: spec, year: year), context: context),
                        "\(id) case \(n + 1) should pass: \(example.note ?? "")")
            }
            if let values = example.fail {
                #expect(!compiled.passes(try Self.row(values, of: spec, year: year), context: context),
                        "\(id) case \(n + 1) should fail: \(example.note ?? "")")
            }
        }
    }
}
