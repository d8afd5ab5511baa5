/// The DPO report as one self-contained HTML page: inline CSS, no scripts, nothing fetched.
/// Every piece of text is escaped; the page holds only what the report does (counts, names,
/// treatments, fingerprints).
public enum DPOReportHTML {
    public static func render(_ report: DPOReport) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>Pseudonymisation audit \(e(report.generatedAt))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1b1b1b; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 2px solid #ccc; padding-bottom: 0.2em; }
        h3 { font-size: 1.05em; margin: 1.4em 0 0.3em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; width: 100%; font-size: 0.92em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.95em; }
        .banner { padding: 0.8em 1em; border-radius: 4px; font-weight: 600; margin: 1em 0; }
        .ok { background: #e3f4e6; border: 1px solid #2e7d32; color: #1b5e20; }
        .bad { background: #fdecea; border: 1px solid #c62828; color: #8e0000; }
        .warn { background: #fff6e0; }
        .muted { color: #555; font-size: 0.9em; }
        .t-pseudonymised { color: #0d47a1; font-weight: 600; } .t-kept { color: #333; }
        .sign td { height: 2.2em; } .sign th { width: 12em; }
        \(BarChart.css)
        @media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
        </style>
        </head>
        <body>
        <h1>Pseudonymisation audit of the regional warehouse</h1>
        <p class="muted">Generated \(e(report.generatedAt)) from <code>\(e(report.warehouse))</code>.
        This page shows only counts, table and column names, treatments and key fingerprints: no value from the warehouse.</p>

        """
        let scan = report.scan
        if scan.clean {
            html += "<div class=\"banner ok\">Identifier scan: no UPN, full postcode, full date of birth\(scan.childIDsChecked ? " or LA child id" : "") found in \(n(scan.values)) text values of \(n(scan.columns)) columns in \(n(scan.tables)) tables.</div>\n"
        } else {
            html += "<div class=\"banner bad\">Identifier scan: \(n(scan.upn)) values shaped like a UPN, \(n(scan.postcode)) like a full postcode, \(n(scan.dateOfBirth)) like a full date of birth, \(n(scan.childID)) equal to an LA child id. The warehouse must hold none: see “Identifier scan” below.</div>\n"
        }
        if !scan.childIDsChecked {
            html += "<div class=\"banner warn\">LA child ids: \(e(scan.childIDCheck)).</div>\n"
        }

        // Profile.
        let profile = report.profile
        html += "<h2>Profile: \(e(profile.title)) (<code>\(e(profile.id))</code>)</h2>\n<p>\(e(profile.description))</p>\n"
        if let source = profile.source { html += "<p class=\"muted\">Selection follows: \(e(source)).</p>\n" }
        let outTables = report.tables.filter { !$0.inProfile }.map(\.name)
        let outColumns = report.tables.filter(\.inProfile).flatMap { t in t.columns.filter { $0.treatment == "left-out" }.map { "\(t.name).\($0.name)" } }
        if outTables.isEmpty && outColumns.isEmpty {
            html += "<p>The profile keeps every regional table and column.</p>\n"
        } else {
            html += "<p>Left out by the profile, and never created in this warehouse:</p>\n<ul>\n"
            if !outTables.isEmpty { html += "<li>tables: \(outTables.map { "<code>\(e($0))</code>" }.joined(separator: ", "))</li>\n" }
            if !outColumns.isEmpty { html += "<li>columns: \(outColumns.map { "<code>\(e($0))</code>" }.joined(separator: ", "))</li>\n" }
            if !profile.viewsLeftOut.isEmpty { html += "<li>analyst views: \(profile.viewsLeftOut.map { "<code>\(e($0))</code>" }.joined(separator: ", "))</li>\n" }
            html += "</ul>\n"
        }

        // Keys and schema.
        html += "<h2>Key and schema</h2>\n"
        html += "<p>\(n(report.currentLoads)) current load\(report.currentLoads == 1 ? "" : "s") in the <code>loads</code> ledger.</p>\n"
        if report.keyFingerprints.count > 1 {
            html += "<div class=\"banner bad\">The current loads were pseudonymised under \(report.keyFingerprints.count) different keys: their pseudonyms do not link.</div>\n"
        }
        html += "<table><tr><th>Key fingerprint</th><th class=\"n\">Current loads</th></tr>\n"
        for key in report.keyFingerprints {
            html += "<tr><td><code>\(e(key.fingerprint))</code></td><td class=\"n\">\(n(key.loads))</td></tr>\n"
        }
        if report.keyFingerprints.isEmpty { html += "<tr><td colspan=\"2\">No current loads.</td></tr>\n" }
        html += "</table>\n"
        html += "<p>Schema read for this report (treatments below): <code>\(e(report.schemaVersion))</code></p>\n"
        html += "<table><tr><th>Schema version of current loads</th><th class=\"n\">Current loads</th><th>Same as this report’s</th></tr>\n"
        for version in report.loadSchemaVersions {
            html += "<tr><td><code>\(e(version.version))</code></td><td class=\"n\">\(n(version.loads))</td><td>\(version.version == report.schemaVersion ? "yes" : "no")</td></tr>\n"
        }
        html += "</table>\n"

        // Rows per LA and table.
        html += "<h2>Rows per LA and table (current loads)</h2>\n"
        html += "<table><tr><th>Table</th><th>LA</th><th class=\"n\">Rows</th></tr>\n"
        for count in report.rowCounts {
            let name = report.laNames[count.la].map { " \($0)" } ?? ""
            html += "<tr><td><code>\(e(count.table))</code></td><td>\(e(count.la + name))</td><td class=\"n\">\(n(count.rows))</td></tr>\n"
        }
        html += "<tr><th colspan=\"2\">All tables</th><th class=\"n\">\(n(report.totalRows))</th></tr>\n</table>\n"
        for (id, chart) in [("rows-per-la", report.rowsPerLAChart), ("rows-per-table", report.rowsPerTableChart),
                            ("rows-over-time", report.loadedRowsOverTimeChart)] where !chart.isEmpty {
            html += chart.figure(id: id)
        }

        // Re-identification risk.
        html += "<h2>Re-identification risk (k = \(report.k))</h2>\n"
        html += "<p>For each table, rows are grouped by the quasi-identifiers it has (LA, birth month, sex, ethnicity, home postcode sector; a blank is a value of its own). A record in a group of fewer than \(report.k) records is one an attacker knowing those attributes could narrow to fewer than \(report.k) children’s rows.</p>\n"
        html += "<table><tr><th>Table</th><th>Quasi-identifiers</th><th class=\"n\">Records</th><th class=\"n\">Groups</th><th class=\"n\">Groups &lt; k</th><th class=\"n\">Records in groups &lt; k</th><th class=\"n\">Smallest group</th></tr>\n"
        for risk in report.risks {
            let cls = risk.recordsInGroupsSmallerThanK > 0 ? " class=\"warn\"" : ""
            html += "<tr\(cls)><td><code>\(e(risk.table))</code></td><td>\(risk.quasiIdentifiers.map { "<code>\(e($0))</code>" }.joined(separator: ", "))</td>"
            html += "<td class=\"n\">\(n(risk.records))</td><td class=\"n\">\(n(risk.groups))</td><td class=\"n\">\(n(risk.groupsSmallerThanK))</td>"
            html += "<td class=\"n\">\(n(risk.recordsInGroupsSmallerThanK))</td><td class=\"n\">\(risk.smallestGroup.map(n) ?? "—")</td></tr>\n"
        }
        html += "</table>\n"

        // Scan.
        html += "<h2>Identifier scan</h2>\n"
        html += "<p>Every text value of every regional table and of <code>quarantine</code> and <code>findings</code> (all rows, current or not) was checked for a UPN with a valid check letter, a full UK postcode, a date written dd/mm/yyyy and an LA child id: a value whose keyed pseudonym, for the LA of its row, is the pseudonym of a child of that LA loaded or quarantined (so the check needs the key, never the raw ids). \(n(scan.values)) values in \(n(scan.columns)) columns of \(n(scan.tables)) tables.</p>\n"
        html += "<p>LA child ids: \(e(scan.childIDCheck)).</p>\n"
        if scan.clean {
            html += "<p><strong>None found.</strong></p>\n"
        } else {
            html += "<table><tr><th>Table</th><th>Column</th><th class=\"n\">UPN</th><th class=\"n\">Full postcode</th><th class=\"n\">Date of birth shape</th><th class=\"n\">LA child id</th></tr>\n"
            for hit in scan.hits {
                html += "<tr class=\"warn\"><td><code>\(e(hit.table))</code></td><td><code>\(e(hit.column))</code></td><td class=\"n\">\(n(hit.upn))</td><td class=\"n\">\(n(hit.postcode))</td><td class=\"n\">\(n(hit.dateOfBirth))</td><td class=\"n\">\(n(hit.childID))</td></tr>\n"
            }
            html += "</table>\n"
        }

        // Columns and treatments.
        html += "<h2>Regional tables, columns and treatments</h2>\n"
        html += "<p class=\"muted\">From the schema this report read (<code>schemas/regional/tables/</code>). Treatments: <b>kept</b> as validated; <b>pseudonymised</b> by keyed HMAC-SHA256 in a namespace; <b>first-of-month</b> dates; <b>postcode-sector</b>; <b>age-years</b> computed before coarsening; <b>code-if-listed</b>; <b>return-la/year/collection</b> from the return. Quasi-identifiers are marked QI.</p>\n"
        for table in report.tables {
            html += "<h3><code>\(e(table.name))</code>\(table.inProfile ? "" : " (left out by the profile: not in this warehouse)")</h3>\n<p class=\"muted\">\(e(table.description))</p>\n"
            html += "<table><tr><th>Column</th><th>Type</th><th>Treatment</th><th>Description</th></tr>\n"
            for column in table.columns {
                html += "<tr><td><code>\(e(column.name))</code>\(column.quasiIdentifier ? " <small>QI</small>" : "")</td><td>\(e(column.type))</td>"
                html += "<td class=\"t-\(e(column.treatment))\">\(e(column.treatmentDetail))</td><td>\(e(column.description))</td></tr>\n"
            }
            html += "</table>\n"
        }

        // Input fields never loaded.
        html += "<h2>Input fields not loaded</h2>\n"
        html += "<p>Each of these is read and checked (so a return’s errors are still found) but no regional column under this profile is made from it: names, free text, staff and case-management record ids, and what the profile leaves out.</p>\n"
        html += "<table><tr><th>Input</th><th>Field</th><th>Meaning</th></tr>\n"
        for field in report.droppedFields {
            html += "<tr><td><code>\(e(field.input))</code></td><td><code>\(e(field.field))</code></td><td>\(e(field.title))</td></tr>\n"
        }
        if report.droppedFields.isEmpty { html += "<tr><td colspan=\"3\">None: every input field is loaded in some form.</td></tr>\n" }
        html += "</table>\n"

        html += """
        <h2>Sign-off</h2>
        <table class="sign">
        <tr><th>Data protection officer</th><td></td></tr>
        <tr><th>Signature</th><td></td></tr>
        <tr><th>Date</th><td></td></tr>
        <tr><th>Comments</th><td></td></tr>
        </table>
        </body>
        </html>

        """
        return html
    }

    /// HTML-escapes text for element content and quoted attributes.
    public static func e(_ text: String) -> String { HTMLText.escape(text) }

    static func n(_ value: Int) -> String { String(value) }
}
