import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// Runs the built `rcc ingest`, then `rcc report validation`, and checks the files it writes: one page
/// and one CSV per current return and an index, an entry per quarantine and findings row, row numbers
/// as a spreadsheet (or, for XML, an editor) shows them, and no raw identifier anywhere.
@Suite(.serialized) struct ValidationReportEndToEndTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    let folder: URL
    init() throws { folder = try TestSupport.temporaryFolder("rcc-e2e-validation") }

    func ingest(_ warehouse: String, _ inputs: [String], key: String) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, ["ingest", "--quiet", "--warehouse", warehouse, "--key-file", key, "--schemas", TestSupport.schemas] + inputs)
    }

    func keygen(_ name: String) throws -> String {
        let key = folder.appendingPathComponent(name).path
        #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        return key
    }

    func report(_ warehouse: String, out: String, _ extra: [String] = []) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, ["report", "validation", "--warehouse", warehouse, "--schemas", TestSupport.schemas, "--out", out] + extra)
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test(arguments: TestWarehouses.engines)
    func writesAReportForEachReturnOfTheSamples(engine: TestWarehouses.Engine) throws {
        let key = try keygen("key-\(engine)")
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        let ingested = try ingest(warehouse, [TestSupport.samples], key: key)
        #expect(ingested.status == 2, "ingest: \(ingested.stderr)")

        let out = folder.appendingPathComponent("reports-\(engine)").path
        let result = try report(warehouse, out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let returns = try TestWarehouses.sql(warehouse, "SELECT la, collection, collection_year FROM loads WHERE status = 'current' ORDER BY la, collection")
            .split(separator: "\n").map { $0.split(separator: "|").joined(separator: "-") }
        #expect(returns == ["350-ssda903-2025", "352-ssda903-2025", "357-ssda903-2025", "886-cin-2025", "886-ssda903-2025"])
        let index = try read(out + "/validation-index.html")
        for name in returns {
            for ext in ["html", "csv"] {
                #expect(FileManager.default.fileExists(atPath: "\(out)/validation-\(name).\(ext)"), "validation-\(name).\(ext)")
                #expect(index.contains("href=\"validation-\(name).\(ext)\""))
            }
        }
        // A return with nothing to report says so; one with entries does not.
        for name in returns {
            let parts = name.split(separator: "-")
            let counts = try TestWarehouses.sql(warehouse, "SELECT rows_quarantined + findings FROM loads WHERE status = 'current' AND la = '\(parts[0])' AND collection = '\(parts[1])'")
            let page = try read(out + "/validation-\(name).html")
            #expect(page.contains("No rows quarantined and no findings") == (counts == "0"), "\(name): \(counts) entries")
        }

        // LA 357: one CSV line per quarantine and findings row of its load, after the header. Its 12 quarantined
        // rows make at least 12 entries (a row may break several rules); the tables say how many.
        let ledger = try TestWarehouses.sql(warehouse, "SELECT load_id, rows_quarantined, findings FROM loads WHERE status = 'current' AND la = '357'")
            .split(separator: "|").map { Int($0)! }
        let (load, rowsQuarantined, findingCount) = (ledger[0], ledger[1], ledger[2])
        let located = { (table: String) in
            try TestWarehouses.sql(warehouse, "SELECT source, row_number, COALESCE(field, ''), rule_id FROM \(table) WHERE load_id = \(load)")
                .split(separator: "\n").map(String.init)
        }
        let quarantined = try located("quarantine"), findings = try located("findings")
        #expect(rowsQuarantined >= 12 && quarantined.count >= rowsQuarantined && findings.count == findingCount)
        let csv = try read(out + "/validation-357-ssda903-2025.csv")
        let lines = csv.components(separatedBy: "\r\n").dropLast()
        #expect(csv.hasSuffix("\r\n") && lines.count == 1 + quarantined.count + findings.count)
        let records = lines.map(Self.fields)
        #expect(records.first == ["rule", "dfe", "severity", "action", "table", "source", "row", "row_kind", "field", "message"])
        let entries = records.dropFirst()
        #expect(entries.map { "\($0[5])|\($0[6])|\($0[8])|\($0[0])" }.sorted() == (quarantined + findings).sorted())
        #expect(entries.filter { $0[3] == "quarantined" }.count == quarantined.count && entries.filter { $0[3] == "finding" }.count == findings.count)
        #expect(entries.allSatisfy { $0[7] == "spreadsheet row" })

        // The row numbers are the rows a spreadsheet shows: the sample's own records, read here, say what each entry says.
        let episodesPath = TestSupport.samples + "/357/903 return 2425/CLA episodes export.csv"
        let episodes = Self.spreadsheetRows(try read(episodesPath), delimiter: ";")
        let short = try #require(entries.first { $0[0] == "extract.row-shape" })
        #expect(episodes[Int(short[6])! - 1].count == 4)
        let missing = try #require(entries.first { $0[0] == "ssda903.episodes.DECOM.required" })
        #expect(episodes[Int(missing[6])! - 1][1].isEmpty && episodes[Int(missing[6])! - 1].count == 13)

        let html = try read(out + "/validation-357-ssda903-2025.html")
        // One bar per rule (and outcome).
        let rules = Set(entries.map { "\($0[3]) \($0[0]) \($0[1]) \($0[2])" })
        #expect(html.contains("<svg") && html.components(separatedBy: "class=\"bar\"").count - 1 == rules.count)
        #expect(html.contains("Content-Security-Policy") && !html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(result.stdout.contains("validation-357-ssda903-2025.html and .csv: \(rowsQuarantined) rows quarantined, "
                                       + "\(findingCount) finding\(findingCount == 1 ? "" : "s"), \(entries.count) entries"), "\(result.stdout)")

        // Nothing a return holds: the LAs' child ids, UPNs, dates of birth and postcodes.
        var written = result.stdout + result.stderr + index
        for name in returns { written += try read("\(out)/validation-\(name).html") + read("\(out)/validation-\(name).csv") }
        let raw = try Self.rawIdentifiers()
        #expect(raw.count > 300)
        let words = Set(written.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "/" }).map(String.init))
        let leaked = raw.filter { words.contains($0) || ($0.count > 6 && written.contains($0)) }
        #expect(leaked.isEmpty, "the reports show values from the returns: \(leaked.count)")

        // Filters: one LA only, and nothing for a year with no return (still exit 0, with an index saying so).
        let only = folder.appendingPathComponent("only-\(engine)").path
        #expect(try report(warehouse, out: only, ["--la", "357"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: only).sorted()
                == ["validation-357-ssda903-2025.csv", "validation-357-ssda903-2025.html", "validation-index.html"])
        let none = try report(warehouse, out: only, ["--year", "2024"])
        #expect(none.status == 0 && none.stdout.contains("No current return matches year 2024"))
        #expect(try read(only + "/validation-index.html").contains("No current return matches"))
        #expect(try report(warehouse, out: only, ["--la", "35"]).status == 64)
    }

    @Test func countsRowsAsASpreadsheetDoesAndLinesInXML() throws {
        let key = try keygen("key-rows")
        // A Header whose second record has a quoted name over two lines: its next record is row 3, on line 4.
        try TestSupport.write("""
            CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,Forename\r
            R1,M,01/02/2015,WBRI,UN2,,,"Ann\r
            Marie"\r
            R2,Q,01/02/2015,WBRI,UN2,,,Bo\r

            """, to: folder.appendingPathComponent("in/350/2025/header.csv"))
        // An SSDA903 XML return whose second episode has a placement code that does not exist.
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <EXPSSDA903>
              <CHILD>
                <HEADER><CHILDID>X1</CHILDID><SEX>F</SEX><DOB>14/03/2012</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN2</UPN><MOTHER>0</MOTHER><UASC>0</UASC></HEADER>
                <EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER><URN>SC123456</URN></EPISODE>
                <EPISODE><DECOM>02/06/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>ZZ9</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>
              </CHILD>
            </EXPSSDA903>

            """
        try TestSupport.write(xml, to: folder.appendingPathComponent("in/352/2025/return.xml"))
        let line = try #require(xml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("<PL>ZZ9") }) + 1

        let warehouse = folder.appendingPathComponent("rows.sqlite").path
        let ingested = try ingest(warehouse, [folder.appendingPathComponent("in").path], key: key)
        #expect(ingested.status == 2, "\(ingested.stdout)\(ingested.stderr)")
        let out = folder.appendingPathComponent("rows-reports").path
        #expect(try report(warehouse, out: out).status == 0)

        let csv = try read(out + "/validation-350-ssda903-2025.csv").components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map(Self.fields)
        // R1 (row 2) has no episodes in a return of Headers alone: the validator's EPI warning.
        #expect(csv.map { "\($0[0])|\($0[6])|\($0[7])|\($0[8])" }
                == ["ssda903.header.episodes-needed|2|spreadsheet row|CHILD", "ssda903.header.SEX.code|3|spreadsheet row|SEX"])
        let xmlCSV = try read(out + "/validation-352-ssda903-2025.csv").components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map(Self.fields)
        #expect(xmlCSV.map { "\($0[4])|\($0[6])|\($0[7])" } == ["ssda903.episodes|\(line)|line in the XML"])
        let page = try read(out + "/validation-352-ssda903-2025.html")
        #expect(page.contains("<th class=\"n\">Line in the XML</th>") && page.contains("<td class=\"n\">\(line)</td>"))
        #expect(try read(out + "/validation-350-ssda903-2025.html").contains("<th class=\"n\">Row</th><th>Field</th>"))
    }

    /// The fields of one CSV line the report wrote (RFC 4180; no field of these spans lines).
    static func fields(_ line: String) -> [String] {
        spreadsheetRows(line, delimiter: ",").first ?? []
    }

    /// A delimited text's rows as a spreadsheet shows them: row n is element n - 1; a quoted field may
    /// span lines; a blank line is a row of its own.
    static func spreadsheetRows(_ text: String, delimiter: Character) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, closed = false
        for c in text where c != "\u{FEFF}" {
            if quoted {
                if c == "\"" { quoted = false; closed = true } else { field.append(c) }
                continue
            }
            switch c {
            case "\"": if closed { field.append(c) }; quoted = true
            case delimiter: row.append(field); field = ""
            case "\r\n", "\n", "\r": row.append(field); rows.append(row); row = []; field = ""
            default: field.append(c)
            }
            closed = false
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Values of the samples' plain CSV files that identify a child: ids, UPNs, dates of birth and postcodes.
    static func rawIdentifiers() throws -> Set<String> {
        var raw: Set<String> = []
        let files = [("350/2025/header.csv", ","), ("350/2025/episodes.csv", ","), ("352/ssda903_2024-25/Header.csv", ","),
                     ("357/903 return 2425/CLA header export.csv", ","), ("357/903 return 2425/CLA episodes export.csv", ";")]
        let identifying = ["child", "child id", "child_id", "upn", "dob", "date of birth", "home_post", "home postcode",
                           "pl_post", "placement postcode", "forename"]
        for (path, delimiter) in files {
            let rows = spreadsheetRows(try String(contentsOfFile: TestSupport.samples + "/" + path, encoding: .utf8),
                                       delimiter: Character(delimiter))
            guard let header = rows.first else { continue }
            let columns = header.indices.filter { identifying.contains(header[$0].trimmingCharacters(in: .whitespaces).lowercased()) }
            for row in rows.dropFirst() {
                for column in columns where column < row.count {
                    let value = row[column].trimmingCharacters(in: .whitespaces)
                    if value.count >= 4 && !value.hasPrefix("UN") { raw.insert(value) }
                }
            }
        }
        return raw
    }
}
