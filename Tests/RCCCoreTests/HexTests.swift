import Foundation
import RCCCore
import Testing

@Suite struct HexTests {
    /// Two lower-case digits a byte, in order, for every byte value; nothing for no bytes.
    @Test func everyByteAsTwoLowerCaseDigits() {
        let all = (0...255).map(UInt8.init)
        #expect(Hex.string(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.string([UInt8]()) == "")
        #expect(Hex.string([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
    }
}
