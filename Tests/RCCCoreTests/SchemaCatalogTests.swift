import Foundation
import RCCCore
import RCCTestSupport
import Testing

@Suite struct SchemaCatalogTests {
    @Test func loadsTheRepositorySchemas() throws {
        let catalog = TestSupport.catalog
        let header = try #require(catalog.input("ssda903.header"))
        #expect(header.fields.map(\.name) == ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "UASC"])
        #expect(header.fields.filter(\.readsCSV).map(\.name) == ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        let episodes = try #require(catalog.input("ssda903.episodes"))
        #expect(episodes.fields.map(\.name) == ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
                                                "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"])
        #expect(catalog.regionalTable("children") != nil)
        #expect(catalog.regionalTable("care_episodes") != nil)
        #expect(catalog.version.hasPrefix("sha256:"))
    }

    @Test func codeListsKnowTheYearsTheirCodesAreValid() throws {
        let place = try #require(TestSupport.catalog.codeLists["ssda903.PLACE"])
        #expect(place.validCodes(in: 2025).contains("H5"))
        #expect(!place.validCodes(in: 2026).contains("H5"))
        #expect(place.validCodes(in: 2026).contains("Z11"))
        #expect(!place.validCodes(in: 2024).contains("K3"))
        let sex = try #require(TestSupport.catalog.codeLists["ssda903.SEX"])
        #expect(sex.validCodes(in: 2024) == ["1", "2"])
        #expect(sex.validCodes(in: 2025) == ["M", "F", "U"])
    }

    /// Every English LA once, with its DfE number and ONS code (`local_la`); the LAs of `la` (the inbox's
    /// folders, LA_PERM's labels) are among them under the same names.
    @Test func everyEnglishLAHasItsONSCode() throws {
        let catalog = TestSupport.catalog
        let england = try #require(catalog.codeLists["la-england"])
        let current = england.codes.filter { $0.isValid(in: 2026) }
        #expect(current.count == 153)
        #expect(Set(current.map(\.code)).count == current.count)
        #expect(Set(current.compactMap(\.ons)).count == current.count)
        for code in england.codes {
            #expect(code.code.count == 3 && code.code.allSatisfy(\.isNumber), "\(code.code)")
            let ons = code.ons ?? ""
            #expect(ons.count == 9 && ["E06", "E08", "E09", "E10"].contains(String(ons.prefix(3))), "\(code.code): \(ons)")
        }
        let regions = try #require(catalog.codeLists["la"])
        for code in regions.codes { #expect(england.label(of: code.code) == code.label, "\(code.code)") }
        #expect(england.onsCodes["352"] == "E08000003" && england.onsCodes["886"] == "E10000016")
        #expect(!england.validCodes(in: 2026).contains("909") && england.validCodes(in: 2023).contains("909"))
    }

    @Test func aTypoInASchemaFailsAtLoadNamingWhatIsWrong() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: TestSupport.schemas, toPath: folder.appendingPathComponent("schemas").path)
        let spec = folder.appendingPathComponent("schemas/inputs/ssda903/header.yaml")
        let text = try String(contentsOf: spec, encoding: .utf8).replacingOccurrences(of: "codelist: ssda903.ETHNIC", with: "codelist: ssda903.ETHNICITY")
        try TestSupport.write(text, to: spec)
        #expect {
            try SchemaCatalog.load(from: folder.appendingPathComponent("schemas").path)
        } throws: { error in
            "\(error)".contains("ssda903.header.ETHNIC") && "\(error)".contains("ssda903.ETHNICITY")
        }
    }

    /// An aggregate rule's count naming a field its table lacks fails at load, naming both.
    @Test func anAggregateCountOfAnUnknownFieldFailsAtLoad() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: TestSupport.schemas, toPath: folder.appendingPathComponent("schemas").path)
        let rules = folder.appendingPathComponent("schemas/rules/cin-dfe-aggregates.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "distinct: Disability", with: "distinct: Disabilty")
        try TestSupport.write(text, to: rules)
        #expect {
            try SchemaCatalog.load(from: folder.appendingPathComponent("schemas").path)
        } throws: { error in
            "\(error)".contains("cin.return.Disability.fewer-than-8-codes") && "\(error)".contains("cin.disability.Disabilty")
        }
    }

    @Test func aMissingSchemasFolderSaysHowToGiveOne() {
        #expect { try SchemaCatalog.load(from: "/nonexistent/schemas") } throws: { "\($0)".contains("--schemas") }
    }
}
