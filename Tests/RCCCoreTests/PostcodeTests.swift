import RCCCore
import Testing

@Suite struct PostcodeTests {
    @Test(arguments: [
        ("M1 1AE", "M1 1AE", "M1 1"), ("m11ae", "M1 1AE", "M1 1"), ("SW1A  2AA", "SW1A 2AA", "SW1A 2"),
        ("bl4 4wq", "BL4 4WQ", "BL4 4"), ("EC1V 9HX", "EC1V 9HX", "EC1V 9"), ("OL16 1AB", "OL16 1AB", "OL16 1"), ("gir0aa", "GIR 0AA", "GIR 0"),
    ])
    func normalisesAndCoarsens(raw: String, normalised: String, sector: String) {
        #expect(Postcode.normalise(raw) == normalised)
        #expect(Postcode.sector(ofNormalised: normalised) == sector)
    }

    /// Past the normaliser's postcodes: a blank inward part or none has no sector; text other than ASCII
    /// is cut at its first character all the same.
    @Test(arguments: [("M1 ", nil), ("M11AE", nil), ("", nil), ("M1 1", "M1 1"), ("É1 1AB", "É1 1"), ("M1 é1", "M1 é")] as [(String, String?)])
    func sectorsOfOtherText(postcode: String, sector: String?) {
        #expect(Postcode.sector(ofNormalised: postcode) == sector)
    }

    @Test(arguments: ["OL6 XYZ", "M1", "123 4AB", "M1 1A", "ABC1 1AB", "", "M1 1AEX"])
    func refusesWhatIsNoPostcode(raw: String) {
        #expect(Postcode.normalise(raw) == nil)
    }
}
