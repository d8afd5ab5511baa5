/// The DfE unique pupil number: 13 characters, a check letter then the LA number, establishment
/// number, year of issue and serial; a temporary UPN ends in a letter.
public enum UPN {
    /// The 23 letters a check letter (and a temporary UPN's last character) can be: no I, O or S.
    static let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// Whether `upn` (upper case) has a valid shape and check letter.
    public static func isValid(_ upn: String) -> Bool {
        let chars = Array(upn.utf8)
        guard chars.count == 13, let check = letters.firstIndex(of: chars[0]) else { return false }
        var sum = 0
        for position in 2...13 {
            let c = chars[position - 1]
            let value: Int
            if (48...57).contains(c) {
                value = Int(c - 48)
            } else if position == 13, let letter = letters.firstIndex(of: c) {
                value = letter
            } else {
                return false
            }
            sum += value * position
        }
        return sum % 23 == check
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
