import Foundation
@testable import Pipeline
import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

/// The engine running a return's sequence rules (`SequenceChecker` on chunks of children, through a
/// `SequenceRules.Runner` that reuses what it builds from child to child and from chunk to chunk) gives,
/// child by child, exactly what running each of the plan's rules by hand gives: each rule given its own
/// fields of the child's rows of its table, and of the other tables it reads, as `Compiled.failing`
/// takes them. Children of many rows and of few follow one another, so buffers grow and shrink.
@Suite struct SequenceRunnerTests {
    /// The rows of each rule of `plan` (in the plan's order: tables by id, each table's rules in order)
    /// that fail on `rows` (a child's, or the whole return's; cells as the plan keeps them), by their place
    /// among their table's rows. Only the rules over all children together, or only the others.
    static func byHand(_ plan: SequenceRules.Plan, _ rows: [String: [[String?]]], period: CollectionPeriod, returned: Set<String>,
                       previous: PreviousReturn?, postcodes: PostcodeDirectory?,
                       acrossChildren: Bool) -> [(rule: SequenceRules.Compiled, table: String, row: Int)] {
        /// `fields` (indexes in the table's input spec) of each of `rows`, kept as the plan keeps `table`.
        func project(_ rows: [[String?]], _ fields: [Int], of table: String) -> [[String?]] {
            let kept = plan.indexes[table] ?? []
            return rows.map { row in fields.map { row[kept.firstIndex(of: $0)!] } }
        }
        var out: [(rule: SequenceRules.Compiled, table: String, row: Int)] = []
        for (table, rules) in plan.rules.sorted(by: { $0.key < $1.key }) {
            for rule in rules where (rule.implementation.map { $0 is any AcrossChildrenRule.Type } ?? false) == acrossChildren {
                guard let own = rows[table], !own.isEmpty else { continue }
                var others = ChildRows(returned: returned)
                for (other, fields) in rule.otherIndexes { others.tables[other] = project(rows[other] ?? [], fields, of: other) }
                for i in rule.failing(project(own, rule.indexes, of: table), others: others, in: period, previous: previous, postcodes: postcodes) {
                    out.append((rule, table, i))
                }
            }
        }
        return out
    }

    @Test(arguments: [("ssda903", 2025), ("cin", 2025)])
    func theRunnerGivesWhatEachRuleByHandGives(collection: String, year: Int) throws {
        let (catalog, plan, previous, postcodes) = try SequenceFindingsTests.fixture(collection, year: year)
        let store = try SequenceFindingsTests.store(collection, children: 1_500, plan: plan, previous: previous, catalog: catalog)
        let period = CollectionPeriod(year: year)
        let checker = SequenceChecker(plan: plan, period: period, returned: store.tables,
                                      collection: collection, previous: previous, postcodes: postcodes)

        var found = 0, lastYear = 0, across: [String: [[String?]]] = [:]
        // Chunks of a size that divides nothing, each run by the same checker (and so by runners it made before).
        try store.forEachChunk(of: 61) { chunk in
            var expected: [SequenceChecker.Found] = []
            for (child, range) in chunk.children {
                let byTable = Dictionary(grouping: range) { chunk.rows[$0].table }
                for (table, rows) in byTable { across[table, default: []] += rows.map { Array(chunk.cells(of: $0)) } }
                for (rule, table, i) in Self.byHand(plan, byTable.mapValues { $0.map { Array(chunk.cells(of: $0)) } }, period: period,
                                                    returned: store.tables, previous: previous, postcodes: postcodes, acrossChildren: false) {
                    let row = chunk.rows[byTable[table]![i]]
                    expected.append(SequenceChecker.Found(diagnostic: checker.diagnostic(rule, table, source: row.source, row: row.row),
                                                          child: child, leaf: row.leaf))
                    if rule.spec.needs?.contains("previous-year") ?? false { lastYear += 1 }
                }
            }
            let actual = checker.findings(chunk)
            #expect(actual.count == expected.count)
            let firstDifference = zip(actual, expected).enumerated().first {
                $0.element.0.diagnostic != $0.element.1.diagnostic || $0.element.0.child != $0.element.1.child
                    || $0.element.0.leaf != $0.element.1.leaf
            }
            #expect(firstDifference == nil, "first differs: \(String(describing: firstDifference))")
            found += expected.count
        }
        #expect(found > 1_000)
        if collection == "ssda903" { #expect(lastYear > 0, "no rule reading last year's return failed a row") }

        // The rules over all children together, on the whole return's rows.
        let expected = Self.byHand(plan, across, period: period, returned: store.tables, previous: nil, postcodes: nil, acrossChildren: true)
        let actual = plan.failingAcrossChildren(across, in: period, returned: store.tables)
        #expect(actual.map { "\($0.rule.spec.id) \($0.table) \($0.row)" } == expected.map { "\($0.rule.spec.id) \($0.table) \($0.row)" })
        #expect(plan.acrossChildrenTables.isEmpty || !expected.isEmpty)
    }

    /// `ChildRows` made by hand (as tests and tools do) reads back as it was given.
    @Test func childRowsByHand() {
        var rows = ChildRows(["a.one": [["1"]]], returned: ["a.one", "a.two"])
        rows.tables["a.three"] = [["3", nil]]
        #expect(rows["a.one"] == [["1"]])
        #expect(rows["a.three"] == [["3", nil]])
        #expect(rows["a.two"].isEmpty)
        #expect(rows.isReturned("a.two") && !rows.isReturned("a.three"))
        #expect(Set(rows.tables.keys) == ["a.one", "a.three"])
        #expect(rows.returned == ["a.one", "a.two"])
        #expect(ChildRows(["b": []]).isReturned("b"))
    }
}
