import Foundation
@testable import RCCCore
import RCCTestSupport
import Testing

/// Use-case profiles cut the regional schema: tables, columns, their mappings and the views reading them.
@Suite struct ProfileTests {
    let catalog = TestSupport.catalog

    @Test func theDefaultProfileKeepsEverything() throws {
        #expect(catalog.profile.id == "full")
        #expect(catalog.regionalTables == catalog.allRegionalTables)
        #expect(catalog.viewsLeftOut.isEmpty && catalog.views.count == 4)
        #expect(Set(catalog.profiles.keys).isSuperset(of: ["full", "sufficiency"]))
    }

    @Test func sufficiencyLeavesOutTheUPNMotherhoodHealthChecksAndWholeTables() throws {
        let cut = try catalog.applying(profile: "sufficiency")
        #expect(cut.profile.id == "sufficiency" && cut.version == catalog.version)
        let tables = Set(cut.regionalTables.map(\.table))
        #expect(tables == ["children", "care_episodes", "missing_episodes", "health_outcomes", "care_leavers", "uasc",
                           "cla_episodes", "placements", "legal_statuses"])
        let children = try #require(cut.regionalTable("children")).columns.map(\.name)
        for gone in ["upn", "former_upn", "mother", "mc_dob_month"] { #expect(!children.contains(gone), "\(gone)") }
        #expect(children.contains("child") && children.contains("dob_month"))
        // The index on upn goes with it; the one on (la, child) stays.
        #expect(try #require(cut.regionalTable("children")).indexes == [["la", "child"]])
        let health = try #require(cut.regionalTable("health_outcomes")).columns.map(\.name)
        #expect(!health.contains("health_check") && !health.contains("teeth_check") && health.contains("sdq_score"))
        // Mappings fill only what is kept; inputs and rules stay whole, for validation.
        #expect(cut.mappings.allSatisfy { tables.contains($0.target) })
        #expect(cut.mappings(from: "ssda903.header").flatMap(\.columns).allSatisfy { !["upn", "mother", "mc_dob_month"].contains($0.column) })
        #expect(cut.mappings(from: "ssda903.reviews").isEmpty)
        #expect(cut.inputs.count == catalog.inputs.count && cut.rules.count == catalog.rules.count)
        // The analyst views read care_episodes only: all kept.
        #expect(cut.views.map(\.name) == catalog.views.map(\.name))
    }

    @Test func aViewReadingWhatAProfileLeavesOutIsLeftOutToo() throws {
        let needs = SchemaCatalog.viewNeeds("SELECT e.child, c.upn FROM care_episodes e JOIN children c ON c.child = e.child",
                                            tables: catalog.allRegionalTables)
        #expect(needs.contains { $0.table == "children" && $0.column == "upn" })
        #expect(needs.contains { $0.table == "care_episodes" && $0.column == "" })
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("schemas")
        try FileManager.default.copyItem(atPath: TestSupport.schemas, toPath: root.path)
        try TestSupport.write("SELECT c.la, COUNT(DISTINCT c.upn) AS pupils FROM children c GROUP BY c.la\n",
                              to: root.appendingPathComponent("views/pupils_per_la.sql"))
        let cut = try SchemaCatalog.load(from: root.path).applying(profile: "sufficiency")
        #expect(cut.viewsLeftOut == ["pupils_per_la"])
        #expect(!cut.views.contains { $0.name == "pupils_per_la" })
    }

    @Test func anUnknownProfileOrAProfileNamingWhatIsNotThereFails() throws {
        #expect { try catalog.applying(profile: "nope") } throws: { "\($0)".contains("nope") && "\($0)".contains("sufficiency") }
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("schemas")
        try FileManager.default.copyItem(atPath: TestSupport.schemas, toPath: root.path)
        try TestSupport.write("id: bad\ntitle: t\ndescription: d\ntables:\n  children: {exclude: [shoe_size]}\n",
                              to: root.appendingPathComponent("regional/profiles/bad.yaml"))
        #expect { try SchemaCatalog.load(from: root.path) } throws: { "\($0)".contains("bad") && "\($0)".contains("children.shoe_size") }
    }

    @Test func profilesDecodeAllOrATableSelection() throws {
        let all = try YAMLProfile.decode("id: a\ntitle: t\ndescription: d\ntables: all\n")
        #expect(all.keeps(table: "anything", column: "x"))
        let some = try YAMLProfile.decode("id: s\ntitle: t\ndescription: d\ntables:\n  children: {exclude: [upn]}\n  uasc: {}\n")
        #expect(some.keeps(table: "uasc", column: "duc") && some.keeps(table: "children", column: "child"))
        #expect(!some.keeps(table: "children", column: "upn") && !some.keeps(table: "reviews"))
        #expect(throws: (any Error).self) { try YAMLProfile.decode("id: x\ntitle: t\ndescription: d\ntables: most\n") }
    }
}

/// Decodes a profile the way the catalog does (through a schemas folder of its own).
enum YAMLProfile {
    static func decode(_ text: String) throws -> Profile {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("schemas")
        try FileManager.default.copyItem(atPath: TestSupport.schemas, toPath: root.path)
        try FileManager.default.removeItem(at: root.appendingPathComponent("regional/profiles"))
        try TestSupport.write(text, to: root.appendingPathComponent("regional/profiles/p.yaml"))
        let catalog = try SchemaCatalog.load(from: root.path)
        return try #require(catalog.profiles.values.first { $0.id != "full" || text.contains("id: full") })
    }
}
