/// The validation reports as self-contained HTML pages (inline CSS and SVG, no scripts, nothing
/// fetched): one page per return, and an index linking them. Every text is escaped; a page holds only
/// what its report does.
public enum ValidationReportHTML {
    /// One return's page: its ledger facts, a chart and a table of entries per rule, and every entry,
    /// file by file, with its row (or line) and field.
    public static func render(_ report: ValidationReport) -> String {
        let load = report.load
        let name = returnName(load)
        var html = head(title: "Validation report: \(name)")
        html += "<h1>Validation report: \(e(name))</h1>\n"
        html += "<p class=\"muted\">Generated \(e(report.generatedAt)) from <code>\(e(report.warehouse))</code>, for the LA’s data team: "
            + "where the return’s rows failed checks, by file, row and field, with the rule and its message. This page holds rule ids, "
            + "messages, file and field names, row numbers and counts only: never a value from the return. "
            + "<a href=\"\(e(ValidationReportSet.indexFile))\">All returns</a> · <a href=\"\(e(report.fileStem)).csv\">These entries as CSV</a></p>\n"

        if report.entries.isEmpty {
            html += "<div class=\"banner ok\">No rows quarantined and no findings: every row of this return passed every check.</div>\n"
        } else {
            html += "<div class=\"banner bad\">\(plural(load.rowsQuarantined, "row")) quarantined (not loaded) and "
                + "\(plural(load.findings, "finding")) on rows loaded: \(plural(report.entries.count, "entry", "entries")) below.</div>\n"
        }

        html += "<h2>The return</h2>\n<table class=\"facts\">\n"
        let facts: [(String, String)] = [
            ("LA", load.key.la + (load.laName.map { " \($0)" } ?? "")),
            ("Collection", load.key.collection),
            ("Collection year", "\(ValidationReport.yearLabel(load.key.year)) (\(load.key.year))"),
            ("Load", "\(load.loadID), loaded at \(load.loadedAt) by run \(load.runID)"),
            ("Rows read", "\(load.rowsRead)"), ("Rows loaded", "\(load.rowsLoaded)"),
            ("Rows quarantined", "\(load.rowsQuarantined)"), ("Findings", "\(load.findings)"),
            ("Key fingerprint", load.keyFingerprint), ("Schema version", load.schemaVersion),
        ]
        for (label, value) in facts { html += "<tr><th>\(e(label))</th><td>\(e(value))</td></tr>\n" }
        html += "</table>\n"
        if load.rowsQuarantined > 0 {
            html += "<p class=\"muted\">A quarantined row is not loaded: it was written, as sent, to the quarantine folder of run "
                + "<code>\(e(load.runID))</code> (<code>runs/\(e(load.runID))/quarantine/\(e(load.key.la))-\(e(load.key.collection))-\(load.key.year)/</code> "
                + "beside the warehouse, unless the run was given another folder), to be corrected and sent again. A row with a finding is loaded.</p>\n"
        }

        html += "<h2>By rule</h2>\n"
        let rules = report.rules
        if rules.isEmpty {
            html += "<p>No rule made an entry.</p>\n"
        } else {
            html += chart(rules).figure(id: "rules")
            html += "<table><tr><th>Rule</th><th>DfE code</th><th>Severity</th><th>Outcome</th><th>Message</th><th class=\"n\">Entries</th></tr>\n"
            for rule in rules {
                let messages = rule.messages.count == 1
                    ? e(rule.messages[0].text)
                    : "<ul>" + rule.messages.map { "<li>\(e($0.text)) (\($0.count))</li>" }.joined() + "</ul>"
                html += "<tr><td><code>\(e(rule.ruleID))</code></td><td>\(e(rule.dfeCode ?? "—"))</td><td>\(e(rule.severity))</td>"
                    + "<td>\(e(rule.action.words))</td><td>\(messages)</td><td class=\"n\">\(rule.count)</td></tr>\n"
            }
            html += "</table>\n"
        }

        html += "<h2>Entries, file by file</h2>\n"
        if report.entries.isEmpty {
            html += "<p>None.</p>\n"
        } else {
            html += "<p>One line for each check a row failed: a row that failed several checks has several lines."
                + (report.entries.contains { $0.row == nil && $0.source != ValidationReport.wholeReturnSource } ? " A line with no row number is about the whole file." : "") + "</p>\n"
            for (source, numbering) in report.sources {
                let heading = numbering == .wholeReturn ? "Whole return" : "<code>\(e(source))</code>"
                html += "<h3>\(heading)</h3>\n<p class=\"muted\">\(e(explanation(numbering)))</p>\n"
                html += "<table><tr><th class=\"n\">\(e(rowHeading(numbering)))</th><th>Field</th><th>Table</th><th>Rule</th>"
                    + "<th>DfE code</th><th>Severity</th><th>Outcome</th><th>Message</th></tr>\n"
                for entry in report.entries where entry.source == source {
                    let row = entry.row.map(String.init) ?? (numbering == .wholeReturn ? "whole return" : "—")
                    html += "<tr><td class=\"n\">\(row)</td><td>\(e(entry.field ?? "—"))</td>"
                        + "<td><code>\(e(entry.table))</code></td><td><code>\(e(entry.ruleID))</code></td><td>\(e(entry.dfeCode ?? "—"))</td>"
                        + "<td>\(e(entry.severity))</td><td>\(e(entry.action.words))</td><td>\(e(entry.message))</td></tr>\n"
                }
                html += "</table>\n"
            }
        }
        return html + "</body>\n</html>\n"
    }

    /// The index of a run's reports: one line per return with its counts and links to its page and CSV.
    public static func renderIndex(_ set: ValidationReportSet) -> String {
        var html = head(title: "Validation reports")
        html += "<h1>Validation reports</h1>\n"
        html += "<p class=\"muted\">Generated \(e(set.generatedAt)) from <code>\(e(set.warehouse))</code>: one report for each current return"
            + (set.filter.words.map { " of \(e($0))" } ?? "") + ". Each lists where the return’s rows failed checks (file, row, field, rule); "
            + "none holds a value from a return.</p>\n"
        if set.reports.isEmpty {
            html += "<p><strong>No current return\(set.filter.words == nil ? " in the warehouse" : " matches").</strong></p>\n"
            return html + "</body>\n</html>\n"
        }
        html += "<table><tr><th>LA</th><th>Collection</th><th>Year</th><th class=\"n\">Rows read</th><th class=\"n\">Loaded</th>"
            + "<th class=\"n\">Quarantined</th><th class=\"n\">Findings</th><th>Loaded at</th><th>Report</th></tr>\n"
        for report in set.reports {
            let load = report.load
            let stem = e(report.fileStem)
            html += "<tr><td>\(e(load.key.la + (load.laName.map { " \($0)" } ?? "")))</td><td>\(e(load.key.collection))</td>"
                + "<td>\(e(ValidationReport.yearLabel(load.key.year)))</td><td class=\"n\">\(load.rowsRead)</td><td class=\"n\">\(load.rowsLoaded)</td>"
                + "<td class=\"n\">\(load.rowsQuarantined)</td><td class=\"n\">\(load.findings)</td><td>\(e(load.loadedAt))</td>"
                + "<td><a href=\"\(stem).html\">page</a> · <a href=\"\(stem).csv\">CSV</a></td></tr>\n"
        }
        return html + "</table>\n</body>\n</html>\n"
    }

    /// The chart of entries per rule: quarantined rows' rules, then findings' rules, one bar per rule.
    static func chart(_ rules: [ValidationReport.RuleCount]) -> BarChart {
        let groups = [ValidationReport.Action.quarantined, .finding].compactMap { action -> BarChart.Group? in
            let bars = rules.filter { $0.action == action }.map { BarChart.Bar(label: $0.ruleID, value: $0.count) }
            return bars.isEmpty ? nil : BarChart.Group(label: action == .quarantined ? "Rows quarantined" : "Rows loaded with a finding", bars: bars)
        }
        return BarChart(title: "Entries per rule",
                        summary: "Horizontal bars, one per rule, its length the number of entries the rule made; "
                            + "rules that quarantined rows first, then rules that loaded rows with a finding.",
                        groups: groups)
    }

    static func rowHeading(_ numbering: ValidationReport.RowNumbering) -> String {
        switch numbering {
        case .spreadsheetRow: "Row"
        case .xmlLine: "Line in the XML"
        case .unknown: "Row or line"
        case .wholeReturn: "Row"
        }
    }

    static func explanation(_ numbering: ValidationReport.RowNumbering) -> String {
        switch numbering {
        case .spreadsheetRow:
            "Row: the row a spreadsheet shows when it opens this file. The header is row 1 and each record is one row after it, "
                + "even when a quoted field in it spans several lines; blank lines count as rows, as a spreadsheet shows them."
        case .xmlLine:
            "Line in the XML: the line of this file on which the row’s element starts, as a text editor numbers lines."
        case .unknown:
            "Row or line: the return’s ledger entry does not say what kind of file this is, so the number is the row a spreadsheet "
                + "shows if it is a delimited file (the header is row 1), or the line on which the row’s element starts if it is XML."
        case .wholeReturn:
            "About the whole return, not a row: rules that count over all its rows (the DfE’s LA-level rules, such as more "
                + "protection plans starting than initial conferences), each with one entry when the counts fail it."
        }
    }

    static func returnName(_ load: ValidationReport.Load) -> String {
        "\(load.key.la)\(load.laName.map { " \($0)" } ?? ""), \(load.key.collection) \(ValidationReport.yearLabel(load.key.year))"
    }

    static func plural(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }

    static func e(_ text: String) -> String { HTMLText.escape(text) }

    /// The page's head and the start of its body. Its Content-Security-Policy, like the DPO report's,
    /// lets the page fetch nothing and run no script: only its own inline style applies.
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(e(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1b1b1b; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 2px solid #ccc; padding-bottom: 0.2em; }
        h3 { font-size: 1.05em; margin: 1.4em 0 0.3em; word-break: break-all; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; width: 100%; font-size: 0.92em; }
        table.facts { width: auto; } table.facts th { width: 12em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        td ul { margin: 0; padding-left: 1.2em; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.95em; }
        .banner { padding: 0.8em 1em; border-radius: 4px; font-weight: 600; margin: 1em 0; }
        .ok { background: #e3f4e6; border: 1px solid #2e7d32; color: #1b5e20; }
        .bad { background: #fdecea; border: 1px solid #c62828; color: #8e0000; }
        .muted { color: #555; font-size: 0.9em; }
        \(BarChart.css)
        @media print { body { margin: 0; max-width: none; } h2, h3 { page-break-after: avoid; } a { color: inherit; text-decoration: none; } }
        </style>
        </head>
        <body>

        """
    }
}
