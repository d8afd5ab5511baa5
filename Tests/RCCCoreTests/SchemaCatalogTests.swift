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

    @Test func aMissingSchemasFolderSaysHowToGiveOne() {
        #expect { try SchemaCatalog.load(from: "/nonexistent/schemas") } throws: { "\($0)".contains("--schemas") }
    }
}
