import Foundation

/// A validation report's entries as CSV, one line per entry, for the LA's data team to sort and
/// filter: RFC 4180 (CRLF line ends; a field holding a comma, a quote or a line break is quoted, its
/// quotes doubled), UTF-8 without a byte order mark.
///
/// `row_kind` says what `row` counts in that line's source: `spreadsheet row` (the header is row 1)
/// or `line in the XML`; a line about the whole return (an aggregate rule's) has no source and no row, and
/// `row_kind` `whole return`. A text field that a spreadsheet would take for a formula (one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return; file names come from the LA) is written with a
/// leading `'`, as spreadsheets themselves do, so opening the file never runs anything.
public enum ValidationReportCSV {
    public static let columns = ["rule", "dfe", "severity", "action", "table", "source", "row", "row_kind", "field", "message"]

    public static func render(_ report: ValidationReport) -> String {
        var lines = [columns.joined(separator: ",")]
        for entry in report.entries {
            let texts = [entry.ruleID, entry.dfeCode ?? "", entry.severity, entry.action.rawValue, entry.table, entry.source]
            let rest = [entry.numbering.rawValue, entry.field ?? "", entry.message]
            lines.append((texts.map(field) + [entry.row.map(String.init) ?? ""] + rest.map(field)).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One text field, guarded against formulas and quoted when RFC 4180 asks.
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
