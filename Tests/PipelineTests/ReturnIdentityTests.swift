import Foundation
import Pipeline
import RCCCore
import RCCTestSupport
import Testing

@Suite struct ReturnIdentityTests {
    let identity = ReturnIdentity(catalog: TestSupport.catalog, la: nil, year: nil)

    @Test(arguments: [
        ("inbox/352/2025/header.csv", "352"), ("/data/returns/352-manchester/h.csv", "352"),
        ("samples/357/903 return 2425/x.csv", "357"), ("a/350/b/352/c.csv", "352"), ("352_bolton/x.csv", "352"),
    ])
    func findsTheLAFromAFolderNamedByItsCode(path: String, la: String) {
        #expect(identity.la(for: path) == la)
    }

    @Test(arguments: ["inbox/999/h.csv", "inbox/3521/h.csv", "352.csv", "inbox/352abc/h.csv", "h.csv"])
    func findsNoLAWhereNoFolderNamesAKnownCode(path: String) {
        #expect(identity.la(for: path) == nil)
    }

    @Test(arguments: [
        ("x/2025/h.csv", 2025), ("x/ssda903_2024-25/h.csv", 2025), ("x/h_24-25.csv", 2025), ("x/903 return 2425/h.csv", 2025),
        ("x/2023_24/h.csv", 2024), ("x/episodes_20250331.csv", nil), ("x/2030/h_2024-25.csv", 2025), ("x/h.csv", nil),
    ] as [(String, Int?)])
    func findsTheCollectionYearInNames(path: String, year: Int?) {
        #expect(identity.year(for: path) == year)
    }

    @Test func flagsWin() {
        let flagged = ReturnIdentity(catalog: TestSupport.catalog, la: "886", year: 2026)
        #expect(flagged.la(for: "inbox/352/2025/h.csv") == "886")
        #expect(flagged.year(for: "inbox/352/2025/h.csv") == 2026)
    }
}

@Suite struct InputDiscoveryTests {
    @Test func walksFoldersInNameOrderSkippingHiddenFiles() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b/2.csv", "a/1.csv", ".git/config", "a/.DS_Store", "c.csv"] {
            try TestSupport.write("x", to: folder.appendingPathComponent(name))
        }
        let found = try InputDiscovery.files(in: [folder.path]).map { String($0.dropFirst(folder.path.count + 1)) }
        #expect(found == ["a/1.csv", "b/2.csv", "c.csv"])
    }

    @Test func aMissingInputIsAnError() {
        #expect { try InputDiscovery.files(in: ["/nonexistent/inbox"]) } throws: { "\($0)".contains("/nonexistent/inbox") }
    }
}

@Suite struct IdentityRootTests {
    @Test func onlyThePathBelowTheRootTellsTheLAAndYear() {
        let identity = ReturnIdentity(catalog: TestSupport.catalog, la: nil, year: nil, root: "/srv/352/rcc-2024/inbox/processing")
        #expect(identity.la(for: "/srv/352/rcc-2024/inbox/processing/header.csv") == nil)
        #expect(identity.year(for: "/srv/352/rcc-2024/inbox/processing/header.csv") == nil)
        #expect(identity.la(for: "/srv/352/rcc-2024/inbox/processing/350-2025/header.csv") == "350")
        #expect(identity.year(for: "/srv/352/rcc-2024/inbox/processing/350-2025/header.csv") == 2025)
        #expect(identity.la(for: "/srv/352/rcc-2024/inbox/processing/351_2025.zip!/header.csv") == "351")
        let unrooted = ReturnIdentity(catalog: TestSupport.catalog, la: nil, year: nil)
        #expect(unrooted.la(for: "/srv/352/rcc-2024/inbox/processing/header.csv") == "352")
    }
}
