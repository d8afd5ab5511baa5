import Foundation
import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

/// The codes and thresholds of the rules written in Swift live in their entries in `schemas/rules/`
/// (`parameters:`): changing one there changes what the rule finds, with no Swift changed; an entry
/// that leaves one out, gives one the Swift does not read, or gives one of the wrong kind does not compile.
@Suite struct RuleParametersTests {
    let catalog = TestSupport.catalog
    let id = "ssda903.episodes.V3.over-75-days"

    /// A child's two respite episodes of 41 and 66 days: 107 days of respite in 2025-26.
    func respite() throws -> [[String?]] {
        [["2025-03-01", "2025-04-11", "V3"], ["2025-05-01", "2025-07-06", "V3"], ["2025-08-01", "2025-12-30", "V4"]]
    }

    func failing(_ parameters: [String: RuleParameter]?) throws -> [Int] {
        var spec = try #require(catalog.rules.first { $0.id == id })
        spec.parameters = parameters
        let compiled = try SequenceRules.compile(spec, input: try #require(catalog.input(spec.table)), catalog: catalog)
        let rows = try respite()
        let fields = RespiteOverAllowance.fields
        // The rule's kept cells in the order of its indexes (the Swift's own field order here).
        let spec903 = try #require(catalog.input(spec.table))
        #expect(compiled.indexes == fields.map { spec903.index(of: $0)! })
        return compiled.failing(rows, in: CollectionPeriod(year: 2026))
    }

    @Test func theYAMLsValuesAreTheOnesRead() throws {
        let spec = try #require(catalog.rules.first { $0.id == id })
        #expect(spec.parameters == ["respite": .codes(["V3"]), "most_days": .number(75)])
        #expect(try failing(spec.parameters) == [0, 1])
    }

    @Test func aThresholdOrCodeChangedInTheEntryChangesWhatFails() throws {
        #expect(try failing(["respite": .codes(["V3"]), "most_days": .number(120)]) == [])
        #expect(try failing(["respite": .codes(["V3", "V4"]), "most_days": .number(120)]) == [0, 1, 2])
        // One code where a list is read is a list of one.
        #expect(try failing(["respite": .code("V4"), "most_days": .number(75)]) == [2])
    }

    @Test(arguments: [
        (["respite": RuleParameter.codes(["V3"])], "most_days"),
        (["respite": .codes(["V3"]), "most_days": .number(75), "least_days": .number(1)], "least_days"),
        (["respite": .codes(["V3"]), "most_days": .codes(["75"])], "most_days"),
    ])
    func anEntryNotGivingWhatTheSwiftReadsDoesNotCompile(parameters: [String: RuleParameter], named: String) throws {
        #expect {
            _ = try failing(parameters)
        } throws: { error in
            "\(error)".contains(id) && "\(error)".contains(named)
        }
    }

    /// The definitions several rules share (`schemas/rules/ssda903-definitions.yaml`) reach them the same
    /// way: a child whose only episode this year is a short break has not been looked after continuously,
    /// unless the definition stops counting that status as one.
    @Test func sharedDefinitionsAreReadFromTheirFile() throws {
        let shared = catalog.sharedRuleParameters
        #expect(shared["short_breaks"] == .codes(["V3", "V4"]))
        let episodes: RuleRows = [["2024-01-10", nil, "L", nil, "V4"]]
        #expect(!CareFacts.continuouslyLookedAfter(episodes, in: RuleRun(year: 2026, parameters: shared)))
        var changed = shared
        changed["short_breaks"] = .codes(["V3"])
        #expect(CareFacts.continuouslyLookedAfter(episodes, in: RuleRun(year: 2026, parameters: changed)))
    }

    /// A schemas folder whose shared definitions leave one out does not compile its rules, naming it.
    @Test func aMissingSharedDefinitionStopsTheRulesCompiling() throws {
        let folder = try TestSupport.temporaryFolder("rcc-params")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("schemas")
        try FileManager.default.copyItem(atPath: TestSupport.schemas, toPath: copy.path)
        let file = copy.appendingPathComponent("rules/ssda903-definitions.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  care_leaver_oldest:") }
            .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let cut = try SchemaCatalog.load(from: copy.path)
        #expect {
            _ = try SequenceRules.Plan(catalog: cut, collection: "ssda903", year: 2026)
        } throws: { error in
            "\(error)".contains("care_leaver_oldest")
        }
    }
}
