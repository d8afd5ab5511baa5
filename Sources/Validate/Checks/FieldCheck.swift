import Foundation
import RCCCore

/// The checks of one input field, compiled from its spec for one collection year: required-ness,
/// type, format, code list, length and pattern. A passing value is returned in canonical form
/// (dates as ISO, codes and UPNs in upper case, postcodes as `OUTWARD INWARD`). A class: a validator runs
/// every field's check on every row, and a struct holding the whole `FieldSpec` and its code set would be
/// copied (each of its strings and arrays retained and released) each time.
final class FieldCheck {
    enum Outcome {
        case valid(String?)
        /// Valid after repairing what Excel does to numbers (`123.0` for `123`).
        case repaired(String)
        /// A valid date, the format it was written in, and whether it was ambiguous: written day first
        /// (`03/04/2024`) with a day that could be a month, so it would read as another date month first.
        /// The format is given by its place in `formats`.
        case date(String, format: Int, ambiguous: Bool)
        /// The check that failed, its DfE code, and a message naming the field but not the value.
        case invalid(check: String, dfe: String?, message: String)
    }

    let field: FieldSpec
    let table: String
    private let type: FieldSpec.FieldType
    private let maxLength: Int?
    private let codes: Set<String>
    /// The codes packed (`ShortText`), sorted, when every code is ASCII: a code of a few letters is found
    /// by comparing whole numbers rather than by hashing text.
    private let packedCodes: [UInt64]?
    private let listTitle: String
    private let pattern: PatternMatch?
    private let year: Int
    /// The date formats the field may be written in, the first the spec's own.
    let formats: [String]
    private let dayFirst: [Bool]

    init(field: FieldSpec, table: String, catalog: SchemaCatalog, year: Int) {
        self.field = field
        self.table = table
        self.year = year
        type = field.type
        maxLength = field.constraints?.maxLength
        let list = field.codelist.flatMap { catalog.codeLists[$0] }
        codes = list?.validCodes(in: year) ?? []
        packedCodes = codes.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? codes.compactMap(ShortText.pack).sorted() : nil
        listTitle = list?.title ?? ""
        pattern = field.constraints?.pattern.flatMap { try? NSRegularExpression(pattern: $0) }.map(PatternMatch.init)
        formats = field.formats ?? ["dd/mm/yyyy"]
        dayFirst = formats.map { $0.hasPrefix("dd") }
    }

    /// Whether `code` is one of `codes`.
    private func isCode(_ code: String) -> Bool {
        // ASCII against ASCII codes: equal as text only when equal byte for byte.
        if let packedCodes, let packed = ShortText.pack(code) { return ShortText.contains(packedCodes, packed) }
        return codes.contains(code)
    }

    /// `123.0` → `123` (digits, a point, then only zeros); nil for anything else.
    static func excelWholeNumber(_ value: String) -> String? {
        let bytes = value.utf8
        guard let point = bytes.firstIndex(of: UInt8(ascii: ".")), point != bytes.startIndex else { return nil }
        let whole = bytes[..<point], fraction = bytes[bytes.index(after: point)...]
        guard !fraction.isEmpty, fraction.allSatisfy({ $0 == UInt8(ascii: "0") }),
              whole.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return String(whole)!
    }

    /// Whether `value` is no date day first but is one month first (`04/25/2024`): a sign that the
    /// column was written month first, as US-set spreadsheets do.
    static func readsOnlyMonthFirst(_ value: String, formats: [String]) -> Bool {
        for format in formats where format.hasPrefix("dd") {
            let separator = format.contains("/") ? "/" : "-"
            let parts = value.split(separator: Character(separator), omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if CivilDate.parse("\(parts[1])\(separator)\(parts[0])\(separator)\(parts[2])", formats: [format]) != nil { return true }
        }
        return false
    }

    /// `value` in upper case; the same string, not a copy, when it has no lower-case ASCII letter and is
    /// all ASCII (the usual case for codes).
    static func upper(_ value: String) -> String {
        value.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x61 && $0 <= 0x7A) }) ? value : value.uppercased()
    }

    /// Whether `value` is a postcode as `Postcode.normalise` writes it, which it would give back unchanged:
    /// one or two capital letters, a digit, perhaps a capital or digit, a space, a digit, two capitals.
    static func isNormalPostcode(_ value: String) -> Bool {
        var bytes = value.utf8.makeIterator()
        func isLetter(_ c: UInt8) -> Bool { (65...90).contains(c) }
        func isDigit(_ c: UInt8) -> Bool { (48...57).contains(c) }
        guard let first = bytes.next(), isLetter(first), var c = bytes.next() else { return false }
        if isLetter(c) { guard let next = bytes.next() else { return false }; c = next }
        guard isDigit(c), var d = bytes.next() else { return false }
        if isLetter(d) || isDigit(d) { guard let next = bytes.next() else { return false }; d = next }
        guard d == UInt8(ascii: " "), let a = bytes.next(), isDigit(a), let b = bytes.next(), isLetter(b),
              let e = bytes.next(), isLetter(e) else { return false }
        return bytes.next() == nil
    }

    func ruleID(_ check: String) -> String { "\(table).\(field.name).\(check)" }

    /// The check a wrong part of a UPN fails, and its DfE code: `upn-PART` where the field gives the part
    /// a code of its own (CIN: 1510 the check letter, 1540 characters 5-12…), else `upn` with `type`'s
    /// code (SSDA903's 168, one code for every part).
    static func upnCheck(_ part: UPN.Part, field: FieldSpec) -> (check: String, dfe: String?) {
        if let code = field.dfe?.upn?[part.rawValue] { return ("upn-\(part.rawValue)", code) }
        return ("upn", field.dfe?.type)
    }

    func check(_ value: String?) -> Outcome {
        guard let value else {
            if field.isRequired {
                return .invalid(check: "required", dfe: field.dfe?.required,
                                message: "\(field.name) (\(field.title ?? field.name)) is missing.")
            }
            return .valid(nil)
        }
        // Excel writes whole numbers it has touched as `123.0`: an id or code that was `123`.
        if type == .string || type == .integer || type == .code, let repaired = FieldCheck.excelWholeNumber(value) {
            switch check(repaired) {
            case .valid(let canonical?): return .repaired(canonical)
            case let other: return other
            }
        }
        switch type {
        case .string:
            // No more characters than bytes: counting characters is needed only past `max` bytes.
            if let max = maxLength, value.utf8.count > max, value.count > max {
                return .invalid(check: "length", dfe: field.dfe?.type,
                                message: "\(field.name) is longer than \(max) characters.")
            }
            if let pattern, !pattern.test(value) {
                return .invalid(check: "pattern", dfe: field.dfe?.type,
                                message: "\(field.name) does not have the expected form.")
            }
            return .valid(value)
        case .integer:
            guard let number = Int(value) else {
                return .invalid(check: "type", dfe: field.dfe?.type, message: "\(field.name) is not a whole number.")
            }
            return .valid(String(number))
        case .date:
            for (i, format) in formats.enumerated() {
                if let date = CivilDate.parse(value, format: format) {
                    return .date(date.iso, format: i, ambiguous: dayFirst[i] && date.day <= 12 && date.day != date.month)
                }
            }
            if FieldCheck.readsOnlyMonthFirst(value, formats: formats) {
                return .invalid(check: "date", dfe: field.dfe?.type,
                                message: "\(field.name) is not a valid date in \(formats.joined(separator: " or ")); it reads only month first (mm/dd/yyyy), which is not accepted.")
            }
            return .invalid(check: "date", dfe: field.dfe?.type,
                            message: "\(field.name) is not a valid date in \(formats.joined(separator: " or ")).")
        case .code:
            let code = FieldCheck.upper(value)
            guard isCode(code) else {
                return .invalid(check: "code", dfe: field.dfe?.code,
                                message: "\(field.name) is not a \(listTitle.lowercased()) code valid in \(year).")
            }
            return .valid(code)
        case .upn:
            let upn = FieldCheck.upper(value)
            guard !codes.contains(upn), let part = UPN.problem(upn) else { return .valid(upn) }
            let (check, dfe) = FieldCheck.upnCheck(part, field: field)
            return .invalid(check: check, dfe: dfe,
                            message: "\(field.name) is not a valid UPN: \(part.words)" + (codes.isEmpty ? "." : "; nor is it one of the unknown-UPN codes."))
        case .postcode:
            if FieldCheck.isNormalPostcode(value) { return .valid(value) }
            guard let postcode = Postcode.normalise(value) else {
                return .invalid(check: "postcode", dfe: field.dfe?.type,
                                message: "\(field.name) is not a full UK postcode.")
            }
            return .valid(postcode)
        }
    }
}
