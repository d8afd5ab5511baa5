import Testing
@testable import Validate

/// A rule's list of codes answers as a `Set<String>` of them would, whether a code is found by number
/// (seven ASCII bytes or fewer, against ASCII codes) or by the set.
@Suite struct CodeSetTests {
    /// Codes and cells: short and long, a blank, ASCII letters that differ only in case or length, and text
    /// beyond ASCII, including a Kelvin sign (equal as Swift text to `K`) and an accented letter written
    /// composed and decomposed (equal as text, unequal as bytes).
    static let texts = ["V3", "V4", "v3", "V", "V33", "", "E11", "E1", "ABCDEFG", "ABCDEFGH", "LONGER-CODE",
                        "K", "\u{212A}", "caf\u{E9}", "cafe\u{301}", "P1\u{0}", "1234567", "12345678"]

    @Test(arguments: [
        ["V3", "V4"], ["E11", "E1", "ABCDEFG"], ["ABCDEFGH", "V3"], ["K"], ["\u{212A}", "V3"], ["caf\u{E9}"],
        ["cafe\u{301}", "V4"], [], ["", "V"], ["1234567", "12345678", "LONGER-CODE"], ["V3", "V3", "V4"],
    ])
    func answersAsASetOfTheCodes(codes: [String]) {
        let codeSet = CodeSet(codes), set = Set(codes)
        for text in Self.texts {
            #expect(codeSet.contains(text) == set.contains(text), "\(codes) holding \(text.unicodeScalars.map { $0.value })")
        }
        #expect(codeSet.isEmpty == set.isEmpty)
        #expect(codeSet.count == set.count)
        #expect(codeSet.unshared() == codeSet)
        #expect(codeSet.unshared().codes == codeSet.codes)
    }

    @Test func keepsTheCodesInTheOrderFirstGiven() {
        let codes = CodeSet(["V4", "V3", "V4", "E1"])
        #expect(codes.codes == ["V4", "V3", "E1"])
        #expect(codes == ["E1", "V3", "V4"])
        #expect(codes != ["E1", "V3"])
    }

    /// The longest list a rule gives is searched by halves, not item by item (past 24 codes).
    @Test func aLongListIsSearchedByHalves() {
        let many = (0..<100).map { "C\($0)" }
        let codes = CodeSet(many.shuffled())
        for n in -5..<110 { #expect(codes.contains("C\(n)") == (0..<100).contains(n)) }
        #expect(!codes.contains("C"))
    }
}
