import Foundation
import Load
import LoadPostgres
import LoadSQLite
import RCCCore
import RCCTestSupport
import Reports
import Testing

/// The validation report on every warehouse engine, from a warehouse filled here: per-rule counts,
/// filters, row numbering by kind of source, escaping, and nothing shown that the tables do not hold.
@Suite struct ValidationReportTests {
    typealias Engine = TestWarehouses.Engine

    let catalog = TestSupport.catalog
    let folder: URL

    init() throws { folder = try TestSupport.temporaryFolder("rcc-validation") }

    /// A child pseudonym recorded against every entry: the report has no use for it and must not show it.
    static let pseudonym = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

    func withWarehouse(_ engine: Engine, _ body: (any Warehouse) async throws -> Void) async throws {
        let location = try TestWarehouses.fresh(engine, in: folder)
        let warehouse: any Warehouse = switch engine {
        case .sqlite: try SQLiteWarehouse(path: location)
        case .postgres: try await PostgresWarehouse.connect(url: location)
        }
        do {
            try await warehouse.prepare(catalog)
            try await body(warehouse)
        } catch {
            await warehouse.close()
            throw error
        }
        await warehouse.close()
    }

    func diagnostic(_ rule: String, dfe: String? = nil, _ action: Diagnostic.Action, table: String = "ssda903.episodes",
                    source: String, row: Int?, field: String?, message: String) -> Diagnostic {
        Diagnostic(ruleID: rule, dfeCode: dfe, severity: .error, action: action, table: table,
                   location: SourceLocation(source: source, row: row, field: field), message: message)
    }

    /// Loads one return with no regional rows: only its ledger entry, quarantine and findings.
    func load(_ warehouse: any Warehouse, _ key: ReturnKey, sources: [(path: String, tables: [String])],
              rowsRead: Int = 10, quarantined: Int = 0, _ diagnostics: [Diagnostic]) async throws {
        let load = try await warehouse.beginLoad(key)
        let tag = { (d: Diagnostic) in (diagnostic: d, child: Optional(Self.pseudonym)) }
        try await load.recordQuarantine(diagnostics.filter { $0.action == .quarantine }.map(tag))
        let findings = diagnostics.filter { $0.action == .finding }
        try await load.recordFindings(findings.map(tag))
        let json = String(decoding: try JSONSerialization.data(withJSONObject: sources.map { ["path": $0.path, "tables": $0.tables] }), as: UTF8.self)
        try await load.commit(LedgerEntry(key: key, sourceSHA256: "d-\(key.la)-\(key.collection)", sourcesJSON: json, rowsRead: rowsRead,
                                          rowsLoaded: rowsRead - quarantined, rowsQuarantined: quarantined, findings: findings.count,
                                          keyFingerprint: "sha256:aaaa", schemaVersion: catalog.version, runID: "run-1",
                                          loadedAt: "2025-06-01T10:00:00Z"))
    }

    var cinTables: [String] { catalog.inputs.filter { $0.xml?.root == "Message" }.map(\.id) }

    /// Three returns: 357's SSDA903 CSV with quarantined rows and a finding, 886's CIN census XML with
    /// one quarantined row, and 350's SSDA903 with nothing to correct.
    func fill(_ warehouse: any Warehouse) async throws {
        let episodes = "in/357/CLA episodes.csv", header = "in/357.zip!/903/header.csv"
        try await load(warehouse, ReturnKey(la: "357", collection: "ssda903", year: 2025),
                       sources: [(episodes, ["ssda903.episodes"]), (header, ["ssda903.header"])], quarantined: 4, [
            diagnostic("ssda903.episodes.CHILD.in-header", dfe: "dfe.ssda903.INT03", .quarantine, source: episodes, row: 9, field: "CHILD",
                       message: "Child in Episodes does not exist in Header."),
            diagnostic("ssda903.episodes.CHILD.in-header", dfe: "dfe.ssda903.INT03", .quarantine, source: episodes, row: 3, field: "CHILD",
                       message: "Child in Episodes does not exist in Header."),
            diagnostic("extract.row-shape", .quarantine, source: episodes, row: 12, field: nil,
                       message: "The row cannot be read as written: the row has 4 fields where the header has 13."),
            diagnostic("extract.row-shape", .quarantine, source: episodes, row: 14, field: nil,
                       message: "The row cannot be read as written: the row has 15 fields where the header has 13."),
            diagnostic("ssda903.episodes.DEC.required-with-REC", dfe: "dfe.ssda903.148", .finding, source: episodes, row: 5, field: "DEC",
                       message: "DEC and REC must both be coded, or both left blank."),
            diagnostic("ssda903.header.SEX.code", dfe: "dfe.ssda903.101", .quarantine, table: "ssda903.header", source: header, row: 2,
                       field: "SEX", message: "SEX is not a sex code valid in 2025."),
        ])
        try await load(warehouse, ReturnKey(la: "886", collection: "cin", year: 2025),
                       sources: [("in/886.zip!/cin/census.xml", cinTables)], quarantined: 1, [
            diagnostic("cin.child.ethnic.code", .quarantine, table: "cin.child", source: "in/886.zip!/cin/census.xml", row: 41,
                       field: "Ethnicity", message: "Ethnicity is not a code valid in 2025."),
        ])
        try await load(warehouse, ReturnKey(la: "350", collection: "ssda903", year: 2025),
                       sources: [("in/350/header.csv", ["ssda903.header"])], [])
    }

    @Test(arguments: TestWarehouses.engines)
    func countsEntriesPerRuleForEachCurrentReturn(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse in
            try await fill(warehouse)
            let set = try await ValidationReport.compute(warehouse: warehouse, catalog: catalog)
            #expect(set.reports.map(\.fileStem) == ["validation-350-ssda903-2025", "validation-357-ssda903-2025", "validation-886-cin-2025"])

            let r357 = set.reports[1]
            #expect(r357.load.laName == "Tameside" && r357.load.rowsQuarantined == 4 && r357.load.findings == 1)
            #expect(r357.load.rowsRead == 10 && r357.load.rowsLoaded == 6 && r357.load.loadedAt == "2025-06-01T10:00:00Z")
            #expect(r357.load.keyFingerprint == "sha256:aaaa" && r357.load.runID == "run-1")
            #expect(r357.rules.map { "\($0.action.rawValue) \($0.ruleID) \($0.count)" } == [
                "quarantined extract.row-shape 2", "quarantined ssda903.episodes.CHILD.in-header 2",
                "quarantined ssda903.header.SEX.code 1", "finding ssda903.episodes.DEC.required-with-REC 1",
            ])
            #expect(r357.rules[0].messages.count == 2 && r357.rules[1].messages.map(\.count) == [2])
            #expect(r357.rules[1].dfeCode == "dfe.ssda903.INT03" && r357.rules[0].dfeCode == nil)
            // File order: by source, then row.
            #expect(r357.entries.map { "\($0.source):\($0.row ?? 0)" } == [
                "in/357.zip!/903/header.csv:2", "in/357/CLA episodes.csv:3", "in/357/CLA episodes.csv:5",
                "in/357/CLA episodes.csv:9", "in/357/CLA episodes.csv:12", "in/357/CLA episodes.csv:14",
            ])
            #expect(r357.entries.allSatisfy { $0.numbering == .spreadsheetRow })

            let cin = set.reports[2]
            #expect(cin.entries.count == 1 && cin.entries[0].numbering == .xmlLine && cin.entries[0].row == 41)
            let cinHTML = ValidationReportHTML.render(cin)
            #expect(cinHTML.contains("Line in the XML") && !cinHTML.contains(">Row<"))
            #expect(ValidationReportCSV.render(cin).contains(",41,line in the XML,Ethnicity,"))

            // A return with nothing to correct still gets a page, saying so.
            let clean = set.reports[0]
            #expect(clean.entries.isEmpty && clean.rules.isEmpty)
            let cleanHTML = ValidationReportHTML.render(clean)
            #expect(cleanHTML.contains("No rows quarantined and no findings") && !cleanHTML.contains("<svg"))
            #expect(ValidationReportCSV.render(clean) == ValidationReportCSV.columns.joined(separator: ",") + "\r\n")

            let index = ValidationReportHTML.renderIndex(set)
            for report in set.reports {
                #expect(index.contains("href=\"\(report.fileStem).html\"") && index.contains("href=\"\(report.fileStem).csv\""))
            }
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func filtersByLACollectionAndYearAndLeavesReplacedLoadsOut(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse in
            try await fill(warehouse)
            // 357 sent again: only the new version's entries count.
            let episodes = "in/357/v2/episodes.csv"
            try await load(warehouse, ReturnKey(la: "357", collection: "ssda903", year: 2025), sources: [(episodes, ["ssda903.episodes"])],
                           quarantined: 1, [diagnostic("ssda903.episodes.DECOM.required", .quarantine, source: episodes, row: 7,
                                                       field: "DECOM", message: "DECOM is missing.")])

            let only357 = try await ValidationReport.compute(warehouse: warehouse, catalog: catalog, filter: .init(la: "357"))
            #expect(only357.reports.count == 1 && only357.filter.words == "LA 357")
            #expect(only357.reports[0].entries.map { "\($0.ruleID)@\($0.row ?? 0)" } == ["ssda903.episodes.DECOM.required@7"])

            let cin = try await ValidationReport.compute(warehouse: warehouse, catalog: catalog, filter: .init(collection: "cin", year: 2025))
            #expect(cin.reports.map(\.load.key.la) == ["886"])
            let none = try await ValidationReport.compute(warehouse: warehouse, catalog: catalog, filter: .init(la: "357", year: 2024))
            #expect(none.reports.isEmpty)
            #expect(ValidationReportHTML.renderIndex(none).contains("No current return matches"))
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func showsNothingTheTablesDoNotHold(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse in
            try await fill(warehouse)
            var held: Set<String> = []
            for table in ["quarantine", "findings", "loads"] {
                for row in try await warehouse.query("SELECT * FROM \(table)") {
                    for cell in row {
                        switch cell {
                        case .text(let text): held.insert(text)
                        case .integer(let n): held.insert(String(n))
                        case .null: break
                        }
                    }
                }
            }
            #expect(held.contains(Self.pseudonym))
            let words: Set<String> = ["quarantined", "finding", "spreadsheet row", "line in the XML", "", "—",
                                      "quarantined (not loaded)", "loaded, with a finding"]

            for report in try await ValidationReport.compute(warehouse: warehouse, catalog: catalog).reports {
                for entry in report.entries {
                    let texts = [entry.ruleID, entry.dfeCode, entry.severity, entry.table, entry.source, entry.row.map(String.init),
                                 entry.field, entry.message].compactMap { $0 }
                    #expect(texts.allSatisfy(held.contains), "\(texts)")
                }
                let csv = ValidationReportCSV.render(report)
                let lines = CSVText.records(csv)
                #expect(lines.first == ValidationReportCSV.columns && lines.count == report.entries.count + 1)
                for cell in lines.dropFirst().joined() {
                    #expect(held.contains(cell) || words.contains(cell), "the CSV shows \(cell), which no table holds")
                }
                // Every cell of the entry tables of the page, likewise.
                let html = ValidationReportHTML.render(report)
                let entries = html.components(separatedBy: "<h2>Entries, file by file</h2>").last ?? ""
                let cells = CSVText.tableCells(entries)
                #expect(cells.count == report.entries.count * 8)
                for cell in cells {
                    #expect(held.contains(cell) || words.contains(cell), "the page shows \(cell), which no table holds")
                }
                #expect(!csv.contains(Self.pseudonym) && !html.contains(Self.pseudonym))
            }
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func escapesEveryTextAndDrawsOneBarPerRule(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse in
            let source = "in/<script>alert(1)</script>/\"x\" & 'y'.csv"
            try await load(warehouse, ReturnKey(la: "352", collection: "ssda903", year: 2025), sources: [(source, ["ssda903.header"])],
                           quarantined: 3, [
                diagnostic("rule<b>one</b>", .quarantine, table: "ssda903.header", source: source, row: 2, field: "<i>F</i>", message: "a <b> & 'c'"),
                diagnostic("rule<b>one</b>", .quarantine, table: "ssda903.header", source: source, row: 3, field: "<i>F</i>", message: "a <b> & 'c'"),
                diagnostic("rule&two", dfe: "dfe\"3", .quarantine, table: "ssda903.header", source: source, row: 4, field: nil, message: "m"),
                diagnostic("rule'three", .finding, table: "ssda903.header", source: source, row: 5, field: "G", message: "<img src=x>"),
            ])
            let set = try await ValidationReport.compute(warehouse: warehouse, catalog: catalog)
            let report = try #require(set.reports.first)
            let html = ValidationReportHTML.render(report) + ValidationReportHTML.renderIndex(set)
            for raw in ["<script", "<b>", "<i>", "<img"] { #expect(!html.contains(raw), "\(raw) unescaped") }
            for escaped in ["&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;x&quot; &amp; &#39;y&#39;", "rule&lt;b&gt;one&lt;/b&gt;",
                            "&lt;i&gt;F&lt;/i&gt;", "a &lt;b&gt; &amp; &#39;c&#39;", "rule&amp;two", "dfe&quot;3", "&lt;img src=x&gt;"] {
                #expect(html.contains(escaped), "\(escaped) missing")
            }
            #expect(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))

            // The chart: one bar per rule, labelled (escaped) with the rule id, the count printed.
            let svg = try #require(html.firstRange(of: "<svg").flatMap { start in
                html[start.lowerBound...].firstRange(of: "</svg>").map { String(html[start.lowerBound..<$0.upperBound]) }
            })
            #expect(svg.components(separatedBy: "class=\"bar\"").count - 1 == report.rules.count)
            #expect(report.rules.count == 3)
            #expect(svg.contains("<title id=\"rules-title\">") && svg.contains("<desc id=\"rules-desc\">"))
            #expect(svg.contains(">rule&lt;b&gt;one&lt;/b&gt;</text>") && svg.contains(">rule&amp;two</text>") && svg.contains(">rule&#39;three</text>"))
            #expect(svg.contains("<title>rule&lt;b&gt;one&lt;/b&gt;: 2</title>") && svg.contains(">2</text>"))
        }
    }

    /// A finding about the whole return (an aggregate rule's: no source, no row, no child) is stored as
    /// such on every engine and shown as "whole return", before the files' entries.
    @Test(arguments: TestWarehouses.engines)
    func showsWholeReturnFindings(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse in
            let xml = "in/886/census.xml"
            let key = ReturnKey(la: "886", collection: "cin", year: 2026)
            let load = try await warehouse.beginLoad(key)
            try await load.recordFindings([
                (diagnostic: diagnostic("cin.return.Disability.fewer-than-8-codes", dfe: "dfe.cin.2887Q", .finding, table: "cin.disability",
                                        source: ValidationReport.wholeReturnSource, row: nil, field: "Disability",
                                        message: "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return"),
                 child: nil),
                (diagnostic: diagnostic("cin.child.Ethnicity.code", dfe: "dfe.cin.4220", .finding, table: "cin.child", source: xml, row: 7,
                                        field: "Ethnicity", message: "Ethnicity is not a code."), child: Self.pseudonym),
            ])
            let json = String(decoding: try JSONSerialization.data(withJSONObject: [["path": xml, "tables": cinTables]]), as: UTF8.self)
            try await load.commit(LedgerEntry(key: key, sourceSHA256: "d", sourcesJSON: json, rowsRead: 10, rowsLoaded: 10, rowsQuarantined: 0,
                                              findings: 2, keyFingerprint: "sha256:aaaa", schemaVersion: catalog.version, runID: "run-1",
                                              loadedAt: "2026-06-01T10:00:00Z"))
            let set = try await ValidationReport.compute(warehouse: warehouse, catalog: catalog)
            let report = try #require(set.reports.first)
            #expect(report.entries.map(\.numbering) == [.wholeReturn, .xmlLine])
            #expect(report.entries[0].row == nil && report.entries[0].source == "" && report.entries[0].dfeCode == "dfe.cin.2887Q")
            let html = ValidationReportHTML.render(report)
            #expect(html.contains("<h3>Whole return</h3>") && html.contains(">whole return</td>"))
            #expect(!html.contains("about the whole file"))
            #expect(ValidationReportCSV.render(report).contains("dfe.cin.2887Q,error,finding,cin.disability,,,whole return,Disability,"))
            #expect(report.rules.first { $0.ruleID == "cin.return.Disability.fewer-than-8-codes" }?.count == 1)
        }
    }

    @Test func writesCSVByRFC4180AndNeverAFormula() {
        let load = ValidationReport.Load(loadID: 1, key: ReturnKey(la: "357", collection: "ssda903", year: 2025), laName: nil,
                                         rowsRead: 3, rowsLoaded: 1, rowsQuarantined: 2, findings: 0, loadedAt: "t", runID: "r",
                                         keyFingerprint: "k", schemaVersion: "v")
        let entries = [
            ValidationReport.Entry(action: .quarantined, ruleID: "r1", dfeCode: nil, severity: "error", table: "t",
                                   source: "in/a, \"b\".csv", row: 2, numbering: .spreadsheetRow, field: "F",
                                   message: "two\nlines, and \"quotes\""),
            ValidationReport.Entry(action: .quarantined, ruleID: "r2", dfeCode: "d", severity: "query", table: "t",
                                   source: "=HYPERLINK(\"x\")", row: nil, numbering: .unknown, field: nil, message: "-1 +1 @a"),
        ]
        let csv = ValidationReportCSV.render(ValidationReport(generatedAt: "t", warehouse: "w", load: load, entries: entries))
        #expect(csv.hasSuffix("\r\n") && !csv.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let records = CSVText.records(csv)
        #expect(records == [
            ValidationReportCSV.columns,
            ["r2", "d", "query", "quarantined", "t", "'=HYPERLINK(\"x\")", "", "row or line", "", "'-1 +1 @a"],
            ["r1", "", "error", "quarantined", "t", "in/a, \"b\".csv", "2", "spreadsheet row", "F", "two\nlines, and \"quotes\""],
        ])
    }

    @Test func tellsDelimitedSourcesFromXMLOnesByTheTablesTheyHold() {
        typealias Numbering = ValidationReport.RowNumbering
        #expect(Numbering.of(tables: ["ssda903.header"], catalog: catalog) == .spreadsheetRow)
        #expect(Numbering.of(tables: ["ssd.ssd_person"], catalog: catalog) == .spreadsheetRow)
        #expect(Numbering.of(tables: cinTables.reversed(), catalog: catalog) == .xmlLine)
        let ssda903XML = catalog.inputs.filter { $0.xml?.root == "EXPSSDA903" }.map(\.id)
        #expect(ssda903XML.count > 1 && Numbering.of(tables: ssda903XML, catalog: catalog) == .xmlLine)
        // One CIN table alone is no source rcc reads; neither is an unknown table: the report says it cannot tell.
        #expect(Numbering.of(tables: ["cin.child"], catalog: catalog) == .unknown)
        #expect(Numbering.of(tables: ["nope"], catalog: catalog) == .unknown)
        // The rule above never has to guess with these schemas: no XML root reads a lone table that CSV reads too.
        for specs in Dictionary(grouping: catalog.inputs.filter { $0.xml != nil }, by: { $0.xml!.root }).values {
            #expect(specs.count > 1 || !specs[0].readsCSV, "root \(specs[0].xml!.root) reads one table, which a CSV reads too")
        }
        #expect(ValidationReport.yearLabel(2025) == "2024-25" && ValidationReport.yearLabel(2010) == "2009-10")
    }

    @Test func barChartIsLabelledCutAndScaled() {
        let long = String(repeating: "x", count: 60)
        let chart = BarChart(title: "T<", summary: "S&", groups: [
            BarChart.Group(label: "G'", bars: [BarChart.Bar(label: "a", value: 10), BarChart.Bar(label: long, value: 5)]),
            BarChart.Group(label: nil, bars: [BarChart.Bar(label: "zero", value: 0)]),
        ])
        let svg = chart.svg(id: "c1")
        #expect(svg.hasPrefix("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c1-title c1-desc\""))
        #expect(svg.contains("<title id=\"c1-title\">T&lt;</title>") && svg.contains("<desc id=\"c1-desc\">S&amp;</desc>"))
        #expect(svg.contains(">G&#39;</text>"))
        #expect(svg.components(separatedBy: "class=\"bar\"").count - 1 == 3)
        #expect(svg.contains(">10</text>") && svg.contains(">5</text>") && svg.contains(">0</text>"))
        // A long label is cut on the chart and whole in the bar's title.
        #expect(svg.contains(String(repeating: "x", count: 43) + "…</text>") && svg.contains("<title>\(long): 5</title>"))
        // The largest bar is twice the length of the half-size one; an empty bar has no length.
        func width(_ title: String) -> Int? {
            guard let range = svg.range(of: "<title>\(title)") else { return nil }
            let before = svg[..<range.lowerBound]
            guard let w = before.range(of: "width=\"", options: .backwards) else { return nil }
            return Int(before[w.upperBound...].prefix { $0.isNumber })
        }
        let full = width("a: 10"), half = width("\(long): 5")
        #expect(full != nil && half != nil && abs((full ?? 0) - 2 * (half ?? 0)) <= 1)
        #expect(width("zero: 0") == 0)
        #expect(!svg.contains("http://") && !svg.contains("<script"))
        #expect(chart.figure(id: "c1").contains("<figcaption>T&lt;</figcaption>"))
        #expect(BarChart(title: "t", summary: "s", bars: []).isEmpty)
    }
}

/// Reading back what the reports write, independently of the code that writes it.
enum CSVText {
    /// The records of RFC 4180 text (comma-delimited; CRLF or LF line ends).
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false, afterQuote = false
        for c in text {
            if quoted {
                if c == "\"" { quoted = false; afterQuote = true } else { field.append(c) }
                continue
            }
            switch c {
            case "\"": if afterQuote { field.append("\"") }; quoted = true; afterQuote = false
            case ",": record.append(field); field = ""; afterQuote = false
            case "\r\n", "\n": record.append(field); records.append(record); record = []; field = ""; afterQuote = false
            default: field.append(c); afterQuote = false
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// The text of every `<td>` in HTML, tags removed and the five escapes undone.
    static func tableCells(_ html: String) -> [String] {
        html.components(separatedBy: "<td").dropFirst().map { piece in
            let inner = piece.drop { $0 != ">" }.dropFirst()
            let cell = String(inner[..<(inner.range(of: "</td>")?.lowerBound ?? inner.endIndex)])
            var text = "", inTag = false
            for c in cell {
                if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { text.append(c) }
            }
            return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}
