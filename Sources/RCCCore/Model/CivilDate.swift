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

    public static func parse(_ text: String, format: String) -> CivilDate? {
        if let date = tenBytes(text, format: format) { return date }
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
        let dayFirst: Bool, separator: UInt8
        switch format {
        case "dd/mm/yyyy": dayFirst = true; separator = UInt8(ascii: "/")
        case "dd-mm-yyyy": dayFirst = true; separator = UInt8(ascii: "-")
        case "yyyy-mm-dd": dayFirst = false; separator = UInt8(ascii: "-")
        default: return nil
        }
        // Three runs of digits between two separators, read straight from the bytes (no allocation: this
        // runs for every date of every row).
        var numbers = (0, 0, 0), digits = (0, 0, 0), part = 0
        for byte in text.utf8 {
            if byte == separator {
                part += 1
                if part > 2 { return nil }
            } else if byte >= 48 && byte <= 57 {
                let d = Int(byte - 48)
                switch part {
                case 0: numbers.0 = numbers.0 * 10 + d; digits.0 += 1
                case 1: numbers.1 = numbers.1 * 10 + d; digits.1 += 1
                default: numbers.2 = numbers.2 * 10 + d; digits.2 += 1
                }
                if digits.0 > 4 || digits.1 > 2 || digits.2 > 4 { return nil }
            } else {
                return nil
            }
        }
        guard part == 2 else { return nil }
        if dayFirst {
            guard (1...2).contains(digits.0), (1...2).contains(digits.1), digits.2 == 4 else { return nil }
            return CivilDate(year: numbers.2, month: numbers.1, day: numbers.0)
        }
        guard digits.0 == 4, (1...2).contains(digits.1), (1...2).contains(digits.2) else { return nil }
        return CivilDate(year: numbers.0, month: numbers.1, day: numbers.2)
    }

    /// The commonest dates read at once: ten digits and separators laid out as `format` is (`2024-04-01`,
    /// `01/04/2024`, `01-04-2024`). Nil for anything else, which `parse` then reads the long way (so a date
    /// this gives is the one the long way would give).
    @inline(__always)
    private static func tenBytes(_ text: String, format: String) -> CivilDate? {
        text.utf8.withContiguousStorageIfAvailable { b -> CivilDate? in
            guard b.count == 10 else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<(from + count) {
                    let d = Int(b[i]) &- 48
                    guard d >= 0 && d <= 9 else { return nil }
                    value = value * 10 + d
                }
                return value
            }
            if b[4] == UInt8(ascii: "-") && b[7] == UInt8(ascii: "-") {
                guard format == "yyyy-mm-dd", let y = number(0, 4), let m = number(5, 2), let d = number(8, 2) else { return nil }
                return CivilDate(year: y, month: m, day: d)
            }
            if b[2] == b[5] && (b[2] == UInt8(ascii: "/") || b[2] == UInt8(ascii: "-")) {
                guard format == (b[2] == UInt8(ascii: "/") ? "dd/mm/yyyy" : "dd-mm-yyyy"),
                      let d = number(0, 2), let m = number(3, 2), let y = number(6, 4) else { return nil }
                return CivilDate(year: y, month: m, day: d)
            }
            return nil
        } ?? nil
    }

    /// Parses an ISO `yyyy-mm-dd` date (the canonical form validation writes).
    public init?(iso: String) {
        guard let date = CivilDate.parse(iso, format: "yyyy-mm-dd") else { return nil }
        self = date
    }

    /// `yyyy-mm-dd`.
    public var iso: String {
        // Written byte by byte: one small string, made for every date of every row. Years are 1800-2200.
        String(unsafeUninitializedCapacity: 10) { buffer in
            func digit(_ n: Int) -> UInt8 { UInt8(48 + n) }
            buffer[0] = digit(year / 1000); buffer[1] = digit(year / 100 % 10)
            buffer[2] = digit(year / 10 % 10); buffer[3] = digit(year % 10)
            buffer[5] = digit(month / 10); buffer[6] = digit(month % 10)
            buffer[8] = digit(day / 10); buffer[9] = digit(day % 10)
            buffer[4] = UInt8(ascii: "-")
            buffer[7] = UInt8(ascii: "-")
            return 10
        }
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
