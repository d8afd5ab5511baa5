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

    /// The previous year's return a case gives (`last:`, table → rows), as the engine keeps it; nil without one.
    static func previous(_ example: RuleSpec.Case, rule: RuleSpec, key: ReturnKey) throws -> PreviousReturn? {
        guard let last = example.last else { return nil }
        let previous = PreviousReturn.forRules(of: catalog, checking: key, spillFolder: nil)
        for (table, rows) in last {
            let spec = try #require(catalog.input(table), "\(rule.id): no table \(table)")
            for (n, values) in rows.enumerated() {
                let record = try row(values, of: spec, year: key.year - 1, line: n + 2)
                previous.add(table: table, child: values["CHILD"]) { name in spec.index(of: name).flatMap { record.cells[$0] } }
            }
        }
        return previous
    }

    /// The postcode directory and provider list a case gives (`postcodes:`, `ofsted:`), read with the
    /// column specs of `schemas/reference/`; nil without them.
    static func references(_ example: RuleSpec.Case, rule: RuleSpec) throws -> (PostcodeDirectory?, ProviderList?) {
        var postcodes: PostcodeDirectory?, providers: ProviderList?
        if let rows = example.postcodes {
            let spec = try ReferenceSpec.load("postcodes", root: catalog.root)
            postcodes = PostcodeDirectory()
            for row in rows { postcodes!.add(spec.roles(of: row)) }
        }
        if let rows = example.ofsted {
            let spec = try ReferenceSpec.load("ofsted", root: catalog.root)
            providers = ProviderList()
            for row in rows { providers!.add(spec.roles(of: row)) }
        }
        let needs = rule.needs ?? []
        #expect(!needs.contains("postcodes") || postcodes != nil, "\(rule.id): a case gives no postcode rows (`postcodes:`)")
        #expect(!needs.contains("ofsted") || providers != nil, "\(rule.id): a case gives no provider rows (`ofsted:`)")
        return (postcodes, providers)
    }

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
                let previous = try Self.previous(example, rule: rule, key: ReturnKey(la: "350", collection: spec.collection, year: year))
                if rule.needs?.contains("previous-year") ?? false {
                    #expect(previous != nil, "\(id) case \(n + 1) gives no last year's rows (`last:`)")
                }
                let (postcodes, _) = try Self.references(example, rule: rule)
                let failing = compiled.failing(rows.map { row in compiled.indexes.map { row.cells[$0] } }, others: others,
                                               in: CollectionPeriod(year: year), previous: previous, postcodes: postcodes)
                    .map { $0 + 1 }.sorted()
                #expect(failing == (example.failing ?? []).sorted(), "\(id) case \(n + 1): \(example.note ?? "")")
            }
            return
        }
        if rule.kind == .aggregate {
            // A small return (`with`: table → rows as sent), validated as a return is, its counts made on
            // the way; then whether the rule's finding is made.
            #expect(cases.contains { $0.fires == true }, "\(id) has no return that makes its finding")
            #expect(cases.contains { $0.fires == false }, "\(id) has no return that passes")
            for (n, example) in cases.enumerated() {
                let key = ReturnKey(la: "350", collection: spec.collection, year: year)
                let context = ReturnContext(key: key, retainedFields: RowRule.lookupFields(Self.catalog))
                let aggregates = try AggregateRules(catalog: Self.catalog, collection: spec.collection, year: year)
                for (table, rows) in (example.with ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let other = try #require(Self.catalog.input(table), "\(id) case \(n + 1): no table \(table)")
                    for values in rows {
                        for name in values.keys where other.index(of: name) == nil { Issue.record("\(id) case \(n + 1): \(table) has no field \(name)") }
                    }
                    let records = rows.enumerated().map { n, values in Record(row: n + 2, cells: other.fields.map { values[$0.name] }) }
                    _ = try TableValidator(spec: other, catalog: Self.catalog, year: year)
                        .validate(records, source: "case", context: context, aggregates: aggregates)
                }
                let fires = aggregates.failing(context: context).contains { $0.id == id }
                #expect(fires == (example.fires ?? false),
                        "\(id) case \(n + 1) should \(example.fires == true ? "" : "not ")make its finding (counts \(aggregates.counts(of: id))): \(example.note ?? "")")
            }
            return
        }
        #expect(cases.contains { $0.pass != nil }, "\(id) has no row it must pass")
        #expect(cases.contains { $0.fail != nil }, "\(id) has no row it must fail")
        for (n, example) in cases.enumerated() {
            let key = ReturnKey(la: "350", collection: spec.collection, year: year)
            let context = ReturnContext(key: key, retainedFields: RowRule.lookupFields(Self.catalog))
            context.previousYear = try Self.previous(example, rule: rule, key: key)
            (context.postcodes, context.providers) = try Self.references(example, rule: rule)
            if rule.needs?.contains("previous-year") ?? false {
                #expect(context.previousYear != nil, "\(id) case \(n + 1) gives no last year's rows (`last:`)")
            }
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
