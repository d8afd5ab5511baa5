import Foundation
import RCCTestSupport
import Testing

/// `rcc rules` lists every check; `schemas/rules/COVERAGE.md` is what `rcc rules --coverage` prints now.
@Suite struct RulesCommandTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    @Test func coverageMarkdownIsUpToDate() throws {
        let result = try TestSupport.run(Self.rcc, ["rules", "--coverage", "--schemas", TestSupport.schemas])
        #expect(result.status == 0, "\(result.stderr)")
        let committed = try String(contentsOfFile: TestSupport.schemas + "/rules/COVERAGE.md", encoding: .utf8)
        #expect(committed == result.stdout, "schemas/rules/COVERAGE.md is out of date: run `rcc rules --coverage > schemas/rules/COVERAGE.md`")
        // Each collection's section counts its DfE rules, and every rule of the lists is in it.
        let catalogue = TestSupport.catalog.dfeRules
        #expect(Set(catalogue.keys) == ["ssda903", "cin"])
        for (collection, list) in catalogue {
            let inForce = list.rules.filter { $0.years?.contains(2026) ?? true }
            #expect(result.stdout.contains("## \(collection) 2025-26\n\n\(inForce.count) DfE rules:"), "\(collection)")
        }
    }

    @Test func listsEveryRuleWithItsCodeAndYears() throws {
        let result = try TestSupport.run(Self.rcc, ["rules", "--schemas", TestSupport.schemas, "--collection", "ssda903"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("rule") == true)
        #expect(lines.contains { $0.hasPrefix("ssda903.episodes.school-age ") && $0.contains(" 373 ") && $0.contains("expression") })
        #expect(lines.contains { $0.hasPrefix("ssda903.header.ETHNIC.code ") && $0.contains(" 103 ") && $0.contains("field check") })
        #expect(!lines.contains { $0.hasPrefix("cin.") })
        let rules = TestSupport.catalog.rules.filter { $0.table.hasPrefix("ssda903.") }
        for rule in rules { #expect(lines.contains { $0.hasPrefix(rule.id + " ") }, "\(rule.id)") }
    }
}
