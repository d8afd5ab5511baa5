/// A calendar date without time or zone, as the returns carry them.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1800...2200).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses `text` in one of the spec's formats: `dd/mm/yyyy` (also `d/m/yyyy`), `dd-mm-yyyy`,
    /// `yyyy-mm-dd`. Returns nil when it is no valid date in any of them.
    public static func parse(_ text: String, formats: [String]) -> CivilDate? {
        for format in formats {
            if let date = parse(text, format: format) { return date }
        }
        return nil
    }

    static func parse(_ text: String, format: String) -> CivilDate? {
        // A time of day after the date (`2024-12-10 00:00:00.000` from SQL Server, `01/02/2024 00:00`
        // from Excel) says nothing a date field needs: it is dropped.
        if let cut = text.utf8.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "T") }) {
            let time = text.utf8[text.utf8.index(after: cut)...]
            if !time.isEmpty, time.allSatisfy({ (48...58).contains($0) || $0 == UInt8(ascii: ".") }),
               time.contains(UInt8(ascii: ":")) {
                return parse(String(text[..<cut]), format: format)
            }
            return nil
        }
        let separator = format.utf8.contains(UInt8(ascii: "/")) ? UInt8(ascii: "/") : UInt8(ascii: "-")
        let parts = text.utf8.split(separator: separator,
                                    omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        func number(_ part: Substring.UTF8View.SubSequence, digits: ClosedRange<Int>) -> Int? {
            guard digits.contains(part.count) else { return nil }
            var value = 0
            for byte in part {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        switch format {
        case "dd/mm/yyyy", "dd-mm-yyyy":
            guard let d = number(parts[0], digits: 1...2), let m = number(parts[1], digits: 1...2),
                  let y = number(parts[2], digits: 4...4) else { return nil }
            return CivilDate(year: y, month: m, day: d)
        case "yyyy-mm-dd":
            guard let y = number(parts[0], digits: 4...4), let m = number(parts[1], digits: 1...2),
                  let d = number(parts[2], digits: 1...2) else { return nil }
            return CivilDate(year: y, month: m, day: d)
        default:
            return nil
        }
    }

    /// Parses an ISO `yyyy-mm-dd` date (the canonical form validation writes).
    public init?(iso: String) {
        guard let date = CivilDate.parse(iso, format: "yyyy-mm-dd") else { return nil }
        self = date
    }

    /// `yyyy-mm-dd`.
    public var iso: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    /// The first day of the date's month.
    public var firstOfMonth: CivilDate { CivilDate(year: year, month: month, day: 1)! }

    /// Whole years from `self` (a birth date) to `date`; negative when `date` is earlier.
    public func wholeYears(until date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
