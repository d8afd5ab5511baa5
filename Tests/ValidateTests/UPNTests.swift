import Testing
import Validate

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
}
