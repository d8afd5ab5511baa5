import RCCCore

/// The run summary as a person reads it on a terminal: per LA, year and table, rows read, loaded
/// and quarantined; then why rows were quarantined and sources refused, and where to look next.
public enum SummaryText {
    public static func render(_ summary: RunSummary, laNames: [String: String] = [:]) -> String {
        var lines: [String] = []
        lines.append("rcc ingest: run \(summary.runID) into \(summary.warehouse)")
        lines.append("key \(summary.keyFingerprint), schema \(summary.schemaVersion), profile \(summary.profile)")
        lines.append("")

        var table: [[String]] = [["LA", "", "Year", "Table", "Read", "Loaded", "Quarantined", "Return"]]
        for ret in summary.returns {
            let status: String
            switch ret.status {
            case .loaded: status = "loaded as load \(ret.loadID ?? 0)" + (ret.replacedLoadID.map { ", replacing load \($0)" } ?? "")
            case .unchanged: status = "unchanged (load \(ret.loadID ?? 0))"
            case .rejected: status = "NOT LOADED"
            }
            let sources = summary.sources.filter { $0.la == ret.la && $0.year == ret.year && $0.collection == ret.collection }
            var byTable: [String: (read: Int, loaded: Int, quarantined: Int)] = [:]
            for s in sources {
                let counts = s.tables.isEmpty
                    ? [RunSummary.TableCount(table: s.table ?? "?", rowsRead: s.rowsRead, rowsLoaded: s.rowsLoaded, rowsQuarantined: s.rowsQuarantined)]
                    : s.tables
                for c in counts {
                    byTable[c.table, default: (0, 0, 0)].read += c.rowsRead
                    byTable[c.table, default: (0, 0, 0)].loaded += c.rowsLoaded
                    byTable[c.table, default: (0, 0, 0)].quarantined += c.rowsQuarantined
                }
            }
            for (i, name) in byTable.keys.sorted(by: { order($0) < order($1) }).enumerated() {
                let c = byTable[name]!
                let unchanged = ret.status == .unchanged
                table.append([i == 0 ? ret.la : "", i == 0 ? (laNames[ret.la] ?? "") : "", i == 0 ? String(ret.year) : "",
                              name, unchanged ? "-" : String(c.read), unchanged ? "-" : String(c.loaded),
                              unchanged ? "-" : String(c.quarantined), i == 0 ? status : ""])
            }
        }
        if table.count > 1 { lines.append(contentsOf: format(table, rightAligned: [4, 5, 6])) } else {
            lines.append("No returns found.")
        }

        let withReasons = summary.sources.filter { !$0.quarantineReasons.isEmpty }
        if !withReasons.isEmpty {
            lines.append("")
            lines.append("Why rows were quarantined:")
            for source in withReasons {
                lines.append("  \(source.path) (\(source.table ?? "?")):")
                for reason in source.quarantineReasons {
                    lines.append("    \(reason.count) × \(reason.rule)\(reason.dfe.map { " [\($0)]" } ?? ""): \(reason.message)")
                }
            }
        }
        let extras = summary.sources.filter { !$0.extraColumns.isEmpty }
        if !extras.isEmpty {
            lines.append("")
            lines.append("Extra columns kept out:")
            for source in extras { lines.append("  \(source.path): \(source.extraColumns.joined(separator: ", "))") }
        }
        let noted = summary.sources.filter { !$0.notes.isEmpty }
        if !noted.isEmpty {
            lines.append("")
            lines.append("Notes:")
            for source in noted {
                lines.append("  \(source.path):")
                for note in source.notes { lines.append("    \(note)") }
            }
        }
        let notRun = summary.returns.filter { $0.status == .loaded && !($0.rulesNotRun ?? [:]).isEmpty }
        if !notRun.isEmpty {
            lines.append("")
            lines.append("DfE rules not run, as they need data from outside the return (see schemas/rules/COVERAGE.md):")
            // Returns of one collection and year share one line: the counts are the same.
            var groups: [(key: String, las: [String], text: String)] = []
            for ret in notRun {
                let counts = ret.rulesNotRun!.sorted { $0.key < $1.key }
                let total = counts.reduce(0) { $0 + $1.value }
                let text = "\(ret.collection) \(ret.year): \(total) (" + counts.map { "\($0.value) need \($0.key)" }.joined(separator: ", ") + ")"
                if let i = groups.firstIndex(where: { $0.text == text }) { groups[i].las.append(ret.la) } else {
                    groups.append((text, [ret.la], text))
                }
            }
            for group in groups { lines.append("  \(group.las.joined(separator: ", ")) \(group.text)") }
        }
        let refused = summary.sources.filter { $0.rejected != nil }
        let rejectedReturns = summary.returns.filter { $0.status == .rejected }
        if !refused.isEmpty || !rejectedReturns.isEmpty {
            lines.append("")
            lines.append("Refused:")
            for source in refused { lines.append("  \(source.path): \(source.rejected!)") }
            for ret in rejectedReturns where !refused.contains(where: { $0.la == ret.la && $0.year == ret.year }) {
                lines.append("  return LA \(ret.la) \(ret.collection) \(ret.year): \(ret.reason ?? "not loaded")")
            }
        }
        let quarantineFolders = summary.returns.compactMap(\.quarantineFolder)
        if !quarantineFolders.isEmpty {
            lines.append("")
            lines.append("Quarantined rows, as sent, for the LA to correct (they hold personal data: keep them in the LA's secure area):")
            for folder in quarantineFolders { lines.append("  \(folder)/") }
        }
        let loaded = summary.returns.filter { $0.status == .loaded }.count
        let unchanged = summary.returns.filter { $0.status == .unchanged }.count
        lines.append("")
        lines.append("\(loaded) return\(loaded == 1 ? "" : "s") loaded, \(unchanged) unchanged, \(rejectedReturns.count) not loaded; "
            + "\(summary.sources.map(\.rowsRead).reduce(0, +)) rows read, \(summary.sources.map(\.rowsLoaded).reduce(0, +)) loaded, "
            + "\(summary.sources.map(\.rowsQuarantined).reduce(0, +)) quarantined, \(plural(summary.sources.map(\.findings).reduce(0, +), "finding")).")
        return lines.joined(separator: "\n")
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// Header tables before the tables that refer to them, by the names' conventional order.
    private static func order(_ table: String) -> String {
        table.hasSuffix(".header") || table.hasSuffix(".child") ? "0" + table : "1" + table
    }

    static func format(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
