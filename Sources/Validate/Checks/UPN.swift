/// The DfE unique pupil number: 13 characters, a check letter then the LA number, establishment
/// number, year of issue and serial; a temporary UPN ends in a letter.
public enum UPN {
    /// The 23 letters a check letter (and a temporary UPN's last character) can be: no I, O or S.
    static let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// The part of a UPN that is wrong, in the order the check looks (the first wrong part is the one
    /// told): each DfE collection may give a part its own code (`FieldSpec.DfECodes.upn`, by `rawValue`).
    public enum Part: String, Sendable, CaseIterable {
        /// Characters 5-12 are not all digits (CIN 1540).
        case digits
        /// Character 13 is neither a digit nor one of the 23 letters (CIN 1550).
        case lastCharacter = "last-character"
        /// Not 13 characters long (no CIN code of its own).
        case length
        /// Characters 2-4, the LA number, are not digits (CIN 1530 says the same of a number no LA has).
        case laCode = "la-code"
        /// Character 1 is not the check letter the other twelve give (CIN 1510).
        case checkLetter = "check-letter"

        /// What is wrong, in words, naming no value.
        public var words: String {
            switch self {
            case .digits: "characters 5-12 are not all numeric"
            case .lastCharacter: "character 13 is not a recognised value (a digit, or a letter other than I, O and S)"
            case .length: "it is not 13 characters long"
            case .laCode: "characters 2-4 are not an LA number"
            case .checkLetter: "character 1 is not the right check letter"
            }
        }
    }

    /// Whether `upn` (upper case) has a valid shape and check letter.
    public static func isValid(_ upn: String) -> Bool { problem(upn) == nil }

    /// The first part of `upn` (upper case) that is wrong, or nil for a valid UPN. Characters 5-12 are
    /// looked at whatever the length, as far as there are any (as the DfE's 1540 does: a UPN of 4
    /// characters or fewer fails it), character 13 and the check letter only in a UPN of 13 characters.
    public static func problem(_ upn: String) -> Part? {
        let chars = Array(upn.utf8)
        func isDigit(_ c: UInt8) -> Bool { (48...57).contains(c) }
        let middle = chars.dropFirst(4).prefix(8)
        if middle.isEmpty || !middle.allSatisfy(isDigit) { return .digits }
        if chars.count == 13, !isDigit(chars[12]) && !letters.contains(chars[12]) { return .lastCharacter }
        guard chars.count == 13 else { return .length }
        guard chars[1...3].allSatisfy(isDigit) else { return .laCode }
        guard let check = letters.firstIndex(of: chars[0]) else { return .checkLetter }
        var sum = 0
        for position in 2...13 {
            let c = chars[position - 1]
            sum += (isDigit(c) ? Int(c - 48) : letters.firstIndex(of: c)!) * position
        }
        return sum % 23 == check ? nil : .checkLetter
    }

    /// The check letter for the 12 characters that follow it (for making synthetic UPNs).
    public static func checkLetter(for body: String) -> Character? {
        let chars = Array(body.utf8)
        guard chars.count == 12 else { return nil }
        var sum = 0
        for (offset, c) in chars.enumerated() {
            let position = offset + 2
            if (48...57).contains(c) { sum += Int(c - 48) * position }
            else if position == 13, let letter = letters.firstIndex(of: c) { sum += letter * position }
            else { return nil }
        }
        return Character(Unicode.Scalar(letters[sum % 23]))
    }
}
