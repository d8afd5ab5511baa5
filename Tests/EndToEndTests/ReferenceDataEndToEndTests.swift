import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// The return and last year's of `PreviousYearEndToEndTests`, with a synthetic postcode directory and
/// Ofsted provider list under REF/postcodes/ and REF/ofsted/ and planted faults: PQ70003's placement
/// postcode is not in the directory (392c, 169, 179), PQ70002's URN is not on Ofsted's list (1008, 219,
/// 224, and 229: no provider LA for its own provision), PQ70005 is placed by another LA (PR2) with a
/// provider in the return's own LA, Bolton (229), and PQ70007, a care leaver, has no episodes this year
/// nor last (1002 and 1001, previous-year rules reading this year's episodes); PQ70009, a care leaver with
/// no episodes this year, was looked after long enough last year (not 1001: every episode of last year is
/// read). Exactly those findings; no full postcode and no child id in any output or the warehouse. (Neither
/// year says who is UASC, so 392a, no distance, does not run, as in the DfE's validator.) A second run adds
/// UASC tables (CSV) to both years: PQ70001 was UASC last year and PQ70002 is this year, so both have a
/// distance that should be blank (406), PQ70003 is not and has no distance (392a), and PQ70002's UASC row
/// fails 205D (not UASC last year).
@Suite struct ReferenceDataEndToEndTests {
    static let postcodes = """
        pcd,pcds,dointr,doterm,oscty,oslaua,oseast1m,osnrth1m,lat,long
        M4  4AA,M4 4AA,198001,,E99999999,E08000003,384000,398000,53.48,-2.23
        M5  5BB,M5 5BB,198001,,E99999999,E08000006,382000,398000,53.48,-2.26
        M6  6CC,M6 6CC,198001,,E99999999,E08000006,381000,399000,53.49,-2.28
        BL1 1AA,BL1 1AA,198001,,E99999999,E08000001,371000,409000,53.58,-2.43

        """
    static let providers = """
        URN,PLACE_CODES,PROVIDER_CODES,REG_END,POSTCODE
        SC100001,U1/U3,PR1/PR2,,BL11AA

        """
    static let planted: [String: [Int]] = [
        "ssda903.episodes.postcodes.in-directory": [5],   // 392c
        "ssda903.episodes.PL_LA.derived": [5],            // 169
        "ssda903.episodes.PL_LOCATION.derived": [5],      // 179
        "ssda903.episodes.URN.on-ofsted-list": [4],       // 1008
        "ssda903.episodes.PLACE.matches-ofsted": [4],     // 219
        "ssda903.episodes.PLACE_PROVIDER.matches-ofsted": [4], // 224
        "ssda903.episodes.PLACE_PROVIDER.matches-provider-la": [4, 7], // 229
    ]
    /// The planted care leaver's findings (OC3 row 2), of rules needing last year's return alone.
    static let plantedPreviousYear = ["ssda903.oc3.without-episodes-this-year-or-last": [2],   // 1002
                                      "ssda903.oc3.not-relevant-child": [2]]                   // 1001

    static func findings(_ warehouse: String) throws -> [String: [Int]] {
        let ids = TestSupport.catalog.rules.filter { !Set($0.needs ?? []).isDisjoint(with: ["postcodes", "ofsted"]) }.map { "'\($0.id)'" }
        let rows = try TestWarehouses.sql(warehouse, "SELECT rule_id, row_number FROM findings WHERE rule_id IN (\(ids.joined(separator: ", "))) ORDER BY rule_id, row_number")
        var out: [String: [Int]] = [:]
        for line in rows.split(separator: "\n") {
            let parts = line.split(separator: "|")
            out[String(parts[0]), default: []].append(Int(parts[1])!)
        }
        return out
    }

    /// Writes the return (with `extra` files) under FOLDER/in and last year's (with `extraLast`) and the
    /// directory and provider list under FOLDER/ref, and makes a key: the reference folder and the key.
    static func write(in folder: URL, extra: [String: String] = [:], extraLast: [String: String] = [:]) throws -> (reference: URL, key: String) {
        for (name, text) in PreviousYearEndToEndTests.current.merging(extra, uniquingKeysWith: { $1 }) {
            var text = text
            if name == "header.csv" {
                text = text.replacingOccurrences(of: "PQ70006,F,03/03/2010,WBRI,UN2,0,\n",
                                                 with: "PQ70006,F,03/03/2010,WBRI,UN2,0,\nPQ70007,F,01/05/2006,WBRI,UN2,0,\nPQ70009,F,04/04/2008,WBRI,UN2,0,\n")
            }
            if name == "episodes.csv" {
                text = text.replacingOccurrences(of: "PQ70005,01/03/2025,S,C2,N1,U1,PR1,,,,M4 4AA,M5 5BB,\n",
                                                 with: "PQ70005,01/03/2025,S,C2,N1,U1,PR2,,,,M4 4AA,M5 5BB,SC100001\n")
                text = text.replacingOccurrences(of: "PQ70003,01/06/2025,S,C2,N1,U1,PR1,,,,M4 4AA,M5 5BB,",
                                                 with: "PQ70003,01/06/2025,S,C2,N1,U1,PR1,,,,M4 4AA,M9 9ZZ,")
                    .replacingOccurrences(of: "PQ70002,01/06/2025,S,C2,N1,U1,PR1,,,,M4 4AA,M5 5BB,",
                                          with: "PQ70002,01/06/2025,S,C2,N1,U1,PR1,,,,M4 4AA,M5 5BB,SC999999")
                    .replacingOccurrences(of: ",M4 4AA,M5 5BB,\n", with: ",M4 4AA,M5 5BB,SC100001\n")
            }
            try TestSupport.write(text, to: folder.appendingPathComponent("in/350/2026/\(name)"))
        }
        try TestSupport.write("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nPQ70007,01/05/2006,YES,F1,B1\nPQ70009,04/04/2008,YES,F1,B1\n",
                              to: folder.appendingPathComponent("in/350/2026/oc3.csv"))
        let last = PreviousYearEndToEndTests.previous.merging(extraLast, uniquingKeysWith: { $1 })
        let zip = StoredZip.bytes(last.sorted { $0.key < $1.key }.map { ("903 return/\($0.key)", Array($0.value.utf8)) })
        let reference = folder.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: reference.appendingPathComponent("previous-year/350"), withIntermediateDirectories: true)
        try Data(zip).write(to: reference.appendingPathComponent("previous-year/350/ssda903_2024-25.zip"))
        try TestSupport.write(Self.postcodes, to: reference.appendingPathComponent("postcodes/ONSPD_NOV_2025_UK.csv"))
        try TestSupport.write(Self.providers, to: reference.appendingPathComponent("ofsted/providers.csv"))
        let key = folder.appendingPathComponent("k").path
        #expect(try TestSupport.run(PreviousYearEndToEndTests.rcc, ["keygen", "--out", key]).status == 0)
        return (reference, key)
    }

    @Test func postcodeAndOfstedRulesFindExactlyThePlantedFaults() throws {
        let folder = try TestSupport.temporaryFolder("rcc-reference")
        let (reference, key) = try Self.write(in: folder)

        let warehouse = folder.appendingPathComponent("w.sqlite").path, summary = folder.appendingPathComponent("s.json")
        let result = try TestSupport.run(PreviousYearEndToEndTests.rcc, [
            "ingest", "--warehouse", warehouse, "--key-file", key, "--schemas", TestSupport.schemas, "--summary", summary.path,
            "--reference", reference.path, folder.appendingPathComponent("in").path])
        #expect(result.status == 0 || result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(try Self.findings(warehouse) == Self.planted)
        #expect(try PreviousYearEndToEndTests.findings(warehouse).filter { $0.key.hasPrefix("ssda903.oc3.") } == Self.plantedPreviousYear)
        let notRun = try PreviousYearEndToEndTests.rulesNotRun(summary)
        #expect(notRun.keys.allSatisfy { !$0.contains("not supplied") }, "\(notRun)")

        var outputs = [result.stdout, result.stderr, try String(contentsOf: summary, encoding: .utf8),
                       String(decoding: try Data(contentsOf: URL(fileURLWithPath: warehouse)), as: UTF8.self)]

        // The stages one at a time, the reference given to extract: the same findings and rules not run.
        let (staged, stagedSummary, stagedOutputs) = try PreviousYearEndToEndTests.runStages(in: folder, reference: reference.path, key: key)
        outputs += stagedOutputs
        #expect(try Self.findings(staged) == Self.planted)
        #expect(try PreviousYearEndToEndTests.findings(staged).filter { $0.key.hasPrefix("ssda903.oc3.") } == Self.plantedPreviousYear)
        #expect(try PreviousYearEndToEndTests.rulesNotRun(stagedSummary) == notRun)
        outputs += [try String(contentsOf: stagedSummary, encoding: .utf8),
                    String(decoding: try Data(contentsOf: URL(fileURLWithPath: staged)), as: UTF8.self)]
        for secret in ["M4 4AA", "M5 5BB", "M9 9ZZ", "BL1 1AA", "M44AA", "M55BB", "M99ZZ", "BL11AA"] + (1...9).map({ "PQ7000\($0)" }) {
            #expect(!outputs.contains { $0.contains(secret) }, "\(secret) reached the output")
        }
    }

    /// Whether a child is UASC, this year and last, read from CSV returns' UASC tables (their Headers have
    /// no UASC column): 406 for the episodes of a child UASC last year (PQ70001) or this year (PQ70002),
    /// 205D for a UASC row of a child in last year's return but not UASC then, and no child id anywhere. (Last
    /// year PQ70002 was also a mother: 207, a sequence rule reading last year's Header with this year's episodes.)
    @Test func uascRulesReadBothYearsUASCTables() throws {
        let folder = try TestSupport.temporaryFolder("rcc-reference-uasc")
        let (reference, key) = try Self.write(
            in: folder,
            extra: ["uasc.csv": "CHILD,SEX,DOB,DUC\nPQ70002,F,02/07/2009,\n"],
            extraLast: ["UASC.csv": "CHILD,SEX,DOB,DUC\nPQ70001,M,14/03/2012,\n",
                        "Header.csv": PreviousYearEndToEndTests.previous["Header.csv"]!
                            .replacingOccurrences(of: "PQ70002,M,02/07/2009,WBRI,UN2,0,", with: "PQ70002,M,02/07/2009,WBRI,UN2,1,01/01/2025")])
        let warehouse = folder.appendingPathComponent("w.sqlite").path, summary = folder.appendingPathComponent("s.json")
        let result = try TestSupport.run(PreviousYearEndToEndTests.rcc, [
            "ingest", "--warehouse", warehouse, "--key-file", key, "--schemas", TestSupport.schemas, "--summary", summary.path,
            "--reference", reference.path, folder.appendingPathComponent("in").path])
        #expect(result.status == 0 || result.status == 2, "\(result.stdout)\(result.stderr)")
        var planted = Self.planted
        planted["ssda903.episodes.PL_DISTANCE.blank-when-uasc"] = [2, 3, 4]   // 406: PQ70001's two episodes, PQ70002's
        planted["ssda903.episodes.PL_DISTANCE.unless-uasc"] = [5]             // 392a: PQ70003's placement postcode
        #expect(try Self.findings(warehouse) == planted)
        let previousYear = try PreviousYearEndToEndTests.findings(warehouse)
        #expect(previousYear["ssda903.uasc.uasc-last-year"] == [2])                // 205D
        #expect(previousYear["ssda903.header.MOTHER.same-as-last-year"] == [3])    // 207: PQ70002 a mother last year, 0 now
        let outputs = [result.stdout, result.stderr, try String(contentsOf: summary, encoding: .utf8),
                       String(decoding: try Data(contentsOf: URL(fileURLWithPath: warehouse)), as: UTF8.self)]
        for secret in ["M4 4AA", "M5 5BB", "M9 9ZZ"] + (1...9).map({ "PQ7000\($0)" }) {
            #expect(!outputs.contains { $0.contains(secret) }, "\(secret) reached the output")
        }
    }

    /// An XML return for 2025-26 and last year's, also XML: UASC is each Header's <UASC>. PQ80001 was UASC
    /// last year (no date ceased) and is not now, yet a date ceased is sent with UASC 0: its UASC row is kept
    /// and fails 303 and 205A, and its Header 205A (last year's date ceased is not in last year). PQ80002 is
    /// UASC now but was not last year: 205D. PQ80003's UASC is 2 (105), so it is not UASC and its episode
    /// has no postcodes (392b; the others' are UASC one year or the other). No child id in any output or the
    /// warehouse.
    @Test func uascRulesReadBothYearsXMLHeaders() throws {
        func child(_ id: String, uasc: String, duc: String? = nil) -> String {
            """
              <CHILD>
                <HEADER>
                  <CHILDID>\(id)</CHILDID><SEX>M</SEX><DOB>01/01/2009</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN2</UPN>
                  <UASC>\(uasc)</UASC>\(duc.map { "<DUC>\($0)</DUC>" } ?? "")
                </HEADER>
                <EPISODE><DECOM>01/03/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>
              </CHILD>

            """
        }
        func document(_ children: String) -> String {
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n" + children + "</EXPSSDA903>\n"
        }
        let folder = try TestSupport.temporaryFolder("rcc-reference-uasc-xml")
        try TestSupport.write(document(child("PQ80001", uasc: "0", duc: "01/02/2026") + child("PQ80002", uasc: "1") + child("PQ80003", uasc: "2")),
                              to: folder.appendingPathComponent("in/350/2026/903.xml"))
        let reference = folder.appendingPathComponent("ref")
        try TestSupport.write(document(child("PQ80001", uasc: "1") + child("PQ80002", uasc: "0")),
                              to: reference.appendingPathComponent("previous-year/350/2024-25/903.xml"))
        let key = folder.appendingPathComponent("k").path
        #expect(try TestSupport.run(PreviousYearEndToEndTests.rcc, ["keygen", "--out", key]).status == 0)
        let warehouse = folder.appendingPathComponent("w.sqlite").path, summary = folder.appendingPathComponent("s.json")
        let result = try TestSupport.run(PreviousYearEndToEndTests.rcc, [
            "ingest", "--warehouse", warehouse, "--key-file", key, "--schemas", TestSupport.schemas, "--summary", summary.path,
            "--reference", reference.path, folder.appendingPathComponent("in").path])
        #expect(result.status == 0 || result.status == 2, "\(result.stdout)\(result.stderr)")
        let ids = TestSupport.catalog.rules.filter { $0.id.contains("uasc") || $0.id.contains("UASC") }.map { "'\($0.id)'" }
            + ["'ssda903.header.UASC.code'"]   // the field's check
        let found = try TestWarehouses.sql(warehouse, "SELECT rule_id, COUNT(*) FROM findings WHERE rule_id IN (\(ids.joined(separator: ", "))) GROUP BY rule_id ORDER BY rule_id")
        #expect(found.split(separator: "\n").map(String.init) == [
            "ssda903.episodes.postcodes.unless-uasc|1",        // 392b: PQ80003's episode (not UASC; no postcodes)
            "ssda903.header.UASC.ceased-last-year|1",          // 205A (Header)
            "ssda903.header.UASC.code|1",                      // 105
            "ssda903.uasc.DUC.blank-when-no-longer-uasc|1",    // 205A (UASC row)
            "ssda903.uasc.DUC.when-uasc|1",                    // 303
            "ssda903.uasc.uasc-last-year|1",                   // 205D
        ], "\(found)")
        let outputs = [result.stdout, result.stderr, try String(contentsOf: summary, encoding: .utf8),
                       String(decoding: try Data(contentsOf: URL(fileURLWithPath: warehouse)), as: UTF8.self)]
        for id in ["PQ80001", "PQ80002", "PQ80003"] {
            #expect(!outputs.contains { $0.contains(id) }, "\(id) reached the output")
        }
    }
}
