import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

@Suite struct UPNTests {
    /// Worked examples: the DfE algorithm by hand (see schemas/codes/ssda903/UPN-unknown.yaml for UN codes).
    @Test(arguments: ["L352200024123", "H35220002412B", "B801200005001", "A950000178301", "H243278544154", "P207000016049"])
    func acceptsValidUPNs(upn: String) {
        #expect(UPN.isValid(upn))
    }

    @Test(arguments: ["Q207000016049", "L352200024124", "L35220002412", "I352200024123", "L3522000241O3", "UN1", ""])
    func refusesInvalidUPNs(upn: String) {
        #expect(!UPN.isValid(upn))
    }

    @Test func computesTheCheckLetter() {
        #expect(UPN.checkLetter(for: "352200024123") == "L")
        #expect(UPN.checkLetter(for: "35220002412B") == "H")
    }

    /// The first wrong part is told, as CIN's 1540, 1550, 1530 and 1510 read them.
    @Test(arguments: [
        ("L352200024124", UPN.Part.checkLetter), ("I352200024123", .checkLetter), ("1352200024123", .checkLetter),
        ("L3522000A4123", .digits), ("L352A", .digits), ("UN1", .digits), ("L35220002412O", .lastCharacter),
        ("L352200024123X", .length), ("L35220002412", .length), ("LA52200024123", .laCode),
    ] as [(String, UPN.Part)])
    func tellsTheWrongPart(upn: String, part: UPN.Part) {
        #expect(UPN.problem(upn) == part)
    }

    func check(_ table: String, _ field: String, _ value: String) throws -> (check: String, dfe: String?, message: String)? {
        let spec = try #require(TestSupport.catalog.input(table))
        let f = try #require(spec.fields.first { $0.name == field })
        let outcome = FieldCheck(field: f, table: table, catalog: TestSupport.catalog, year: 2026).check(value)
        if case .invalid(let check, let dfe, let message) = outcome { return (check, dfe, message) }
        return nil
    }

    /// CIN gives each part its DfE code; the message says which part, never the value.
    @Test(arguments: [("L352200024124", "upn-check-letter", "1510"), ("L3522000A4123", "upn-digits", "1540"),
                      ("L35220002412O", "upn-last-character", "1550"), ("LA52200024123", "upn-la-code", "1530")])
    func cinCodesEachPart(upn: String, check: String, code: String) throws {
        let found = try #require(try self.check("cin.child", "UPN", upn))
        #expect(found.check == check && found.dfe == code)
        #expect(!found.message.contains(upn))
        #expect(try self.check("cin.child", "UPN", "L352200024123") == nil)
    }

    /// A UPN of the wrong length has no CIN code of its own; SSDA903 has one code (168) for every part.
    @Test func lengthHasNoCINCodeAnd903KeepsOneCode() throws {
        let short = try #require(try check("cin.child", "UPN", "L35220002412"))
        #expect(short.check == "upn" && short.dfe == nil)
        for upn in ["L352200024124", "L3522000A4123", "L35220002412O", "L35220002412"] {
            let found = try #require(try check("ssda903.header", "UPN", upn))
            #expect(found.check == "upn" && found.dfe == "168")
        }
        #expect(try check("ssda903.header", "UPN", "UN1") == nil)
    }

    /// `rcc rules` lists each coded part as a check of its own, so the coverage finds 1510, 1540, 1550.
    @Test func partsAreListedWithTheirCodes() {
        let entries = RuleListing.entries(TestSupport.catalog).filter { $0.table == "cin.child" && $0.kind == "field check" }
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.dfe) })
        #expect(byID["cin.child.UPN.upn-check-letter"] == "1510")
        #expect(byID["cin.child.UPN.upn-digits"] == "1540")
        #expect(byID["cin.child.UPN.upn-last-character"] == "1550")
        #expect(entries.filter { $0.id.hasPrefix("cin.child.UPN.") }.allSatisfy { $0.action == "quarantine" })
    }
}
