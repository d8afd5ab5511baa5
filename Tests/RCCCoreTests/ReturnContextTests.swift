import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// What the row checks ask the return's context (is this child in the header? its DOB?) is answered the
/// same whether the keys are in memory or spilled to the run's private folder.
@Suite struct ReturnContextTests {
    let catalog = TestSupport.catalog
    let key = ReturnKey(la: "352", collection: "ssda903", year: 2025)

    func filled(spillThreshold: Int?, folder: URL) throws -> ReturnContext {
        let context = ReturnContext(key: key, retainedFields: ["ssda903.header": ["DOB"]],
                                    spillFolder: folder.path, spillThreshold: spillThreshold)
        let header = try #require(catalog.input("ssda903.header"))
        let missing = try #require(catalog.input("ssda903.missing"))
        for n in 0..<1_000 {
            // Every third child has a blank DOB: a row with nothing looked up is still a loaded row.
            let dob = n % 3 == 0 ? nil : String(format: "20%02d-%02d-01", n % 20, n % 12 + 1)
            context.registerLoaded(table: "ssda903.header", key: ["C\(n)"],
                                   record: Record(row: n + 2, cells: ["C\(n)", "F", dob, "WBRI", "UN1", nil, nil, nil]), spec: header)
            if n % 2 == 0 {
                context.registerLoaded(table: "ssda903.missing", key: ["C\(n)", "2024-01-0\(n % 9 + 1)"],
                                       record: Record(row: n + 2, cells: ["C\(n)", nil, "M", "2024-01-0\(n % 9 + 1)", nil]), spec: missing)
            }
        }
        return context
    }

    @Test(arguments: [nil, 64])
    func loadedKeysAndLookedUpFieldsAreFoundInMemoryAndOnDisk(spillThreshold: Int?) throws {
        let folder = try TestSupport.temporaryFolder("rcc-context")
        let context = try filled(spillThreshold: spillThreshold, folder: folder)
        // Spill files are unlinked once open: the folder stays empty, and the process holds them open.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"))?.hasPrefix(folder.path) ?? false
        }
        #expect(open.isEmpty == (spillThreshold == nil), "\(open.count) spill files open")
        #expect(context.tablesLoaded == ["ssda903.header", "ssda903.missing"])
        #expect(context.hasLoaded("ssda903.header") && !context.hasLoaded("ssda903.episodes"))
        // Asked in an order unlike the one written, and again, so the store's last-row memory is exercised.
        for n in (0..<1_000).reversed() + Array(0..<1_000) {
            #expect(context.isLoaded(table: "ssda903.header", key: ["C\(n)"]), "C\(n)")
            let dob = n % 3 == 0 ? nil : String(format: "20%02d-%02d-01", n % 20, n % 12 + 1)
            #expect(context.lookup(table: "ssda903.header", key: ["C\(n)"], field: "DOB") == dob, "C\(n)")
            #expect(context.isLoaded(table: "ssda903.missing", key: ["C\(n)", "2024-01-0\(n % 9 + 1)"]) == (n % 2 == 0), "C\(n)")
        }
        for absent in ["C1000", "C-1", "", "c1"] {
            #expect(!context.isLoaded(table: "ssda903.header", key: [absent]))
            #expect(context.lookup(table: "ssda903.header", key: [absent], field: "DOB") == nil)
        }
        #expect(!context.isLoaded(table: "ssda903.episodes", key: ["C1"]))
    }
}
