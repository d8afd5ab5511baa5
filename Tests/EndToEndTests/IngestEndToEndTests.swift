import Extract
import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// Runs the built `rcc` (RCC_BIN, or .build/debug/rcc) on the samples and checks the warehouse
/// and every output for what must and must not be there.
@Suite(.serialized) struct IngestEndToEndTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    let folder: URL
    init() throws { folder = try TestSupport.temporaryFolder("rcc-e2e") }

    func keygen(_ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let result = try TestSupport.run(Self.rcc, ["keygen", "--out", path])
        #expect(result.status == 0, "keygen: \(result.stderr)")
        return path
    }

    func ingest(_ warehouse: String, key: String, _ inputs: [String] = [TestSupport.samples], extra: [String] = []) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, ["ingest", "--warehouse", warehouse, "--key-file", key,
                                       "--schemas", TestSupport.schemas] + extra + inputs)
    }

    func sql(_ warehouse: String, _ query: String) throws -> String {
        let result = try TestSupport.run("/usr/bin/env", ["sqlite3", warehouse, query])
        #expect(result.status == 0, "sqlite3: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every identifying value in the samples, read the way rcc reads them (inside zips and gzip, CSV and
    /// XML): CHILD ids, UPNs, names, full postcodes, full dates of birth.
    func rawIdentifiers() throws -> (tokens: Set<String>, substrings: Set<String>, dobs: Set<String>) {
        var tokens = Set<String>(), substrings = Set<String>(), dobs = Set<String>()
        // A full date of birth, as written and in ISO form; one on the 1st of a month is its own
        // coarsened value, so only its dd/mm/yyyy spelling can betray it.
        func dateOfBirth(_ text: String) {
            let parts = text.split(separator: "/")
            if parts.count == 3 {
                substrings.insert(text)
                if parts[0] != "01" { dobs.insert("\(parts[2])-\(parts[1])-\(parts[0])") }
            } else if text.count == 10, text.dropFirst(8) != "01" {
                dobs.insert(text)
            }
        }
        for path in try FileManager.default.subpathsOfDirectory(atPath: TestSupport.samples).sorted() {
            let file = TestSupport.samples + "/" + path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            try SourceWalker.walk(path: file) { opened in
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = try buffer.withUnsafeMutableBytes { try opened.source.read(into: $0) }
                    if n == 0 { break }
                    bytes += buffer[0..<n]
                }
                let text = String(decoding: bytes, as: UTF8.self)
                if case .xml = opened.format {
                    for tag in ["LAchildID", "UPN", "PersonBirthDate"] {
                        for piece in text.components(separatedBy: "<\(tag)>").dropFirst() {
                            let value = String(piece.prefix { $0 != "<" })
                            if tag == "LAchildID" { tokens.insert(value) }
                            else if tag == "UPN" { substrings.insert(value) }
                            else { dateOfBirth(value) }
                        }
                    }
                    return
                }
                let lines = text.split(whereSeparator: \.isNewline).map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
                let delimiter: Character = lines[0].contains(";") ? ";" : ","
                let header = lines[0].split(separator: delimiter, omittingEmptySubsequences: false).map { $0.lowercased() }
                for line in lines.dropFirst() {
                    let cells = line.split(separator: delimiter, omittingEmptySubsequences: false).map(String.init)
                    for (name, cell) in zip(header, cells) where !cell.isEmpty {
                        switch name {
                        case "child", "child id", "child_id", "forename": tokens.insert(cell)
                        case "upn" where cell.count == 13: substrings.insert(cell)
                        case "home_post", "pl_post", "home postcode", "placement postcode":
                            substrings.insert(cell); substrings.insert(cell.replacingOccurrences(of: " ", with: ""))
                        case "dob", "date of birth", "mc_dob", "mc dob": dateOfBirth(cell)
                        default: break
                        }
                    }
                }
            }
        }
        return (tokens, substrings, dobs)
    }

    @Test func theScanKnowsTheIdentifiersInsideArchivesAndXML() throws {
        let raw = try rawIdentifiers()
        #expect(raw.tokens.contains("K200000"))     // a CIN LAchildID, inside the Kent zip
        #expect(raw.tokens.contains("K100000") || raw.tokens.contains(where: { $0.hasPrefix("K1") }))   // Kent's 903 CHILD ids
    }

    func assertNoRawIdentifiers(in text: String, what: String) throws {
        let raw = try rawIdentifiers()
        #expect(raw.tokens.count > 150 && raw.substrings.count > 150 && raw.dobs.count > 150)
        let words = Set(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        let leakedTokens = raw.tokens.intersection(words)
        #expect(leakedTokens.count == 0, "\(what) holds raw child ids or names")
        let leaked = raw.substrings.filter { text.contains($0) } + raw.dobs.filter { text.contains($0) }
        #expect(leaked.count == 0, "\(what) holds raw UPNs, postcodes or dates of birth")
    }

    @Test func ingestsTheSamplesIntoAPseudonymisedWarehouse() throws {
        let key = try keygen("k1")
        let warehouse = folder.appendingPathComponent("w.sqlite").path
        let summaryPath = folder.appendingPathComponent("summary.json").path
        let result = try ingest(warehouse, key: key, extra: ["--summary", summaryPath])
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")   // the messy LA has quarantined rows

        #expect(try sql(warehouse, "SELECT la, collection, COUNT(*) FROM children GROUP BY la, collection ORDER BY la, collection")
                == "350|ssda903|40\n352|ssda903|60\n357|ssda903|27\n886|cin|20\n886|ssda903|25")
        #expect(try sql(warehouse, "SELECT la, COUNT(*) FROM care_episodes GROUP BY la ORDER BY la")
                .split(separator: "\n").map { $0.split(separator: "|")[0] } == ["350", "352", "357", "886"])
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM loads WHERE status = 'current'") == "5")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM cin_referrals") == "20")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children WHERE length(child) != 32 OR dob_month NOT LIKE '%-01'") == "0")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM care_episodes WHERE home_post_sector NOT GLOB '*[A-Z0-9] [0-9]'") == "0")
        #expect(try sql(warehouse, "SELECT rule_id, field, row_number FROM quarantine WHERE rule_id = 'ssda903.header.DOB.date'")
                == "ssda903.header.DOB.date|DOB|7")
        // The key never appears; its fingerprint does.
        let keyHex = try String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let fingerprint = try sql(warehouse, "SELECT DISTINCT key_fingerprint FROM loads")
        #expect(fingerprint.hasPrefix("sha256:"))

        // The summary: every source with its table, counts and, for the messy LA, reasons.
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: URL(fileURLWithPath: summaryPath)))
        #expect(summary.sources.count == 9)
        #expect(summary.sources.contains { $0.path.hasSuffix("kent_returns_2024-25.zip!/cin/cin_census.xml") && $0.la == "886" })
        #expect(summary.sources.allSatisfy { $0.table != nil && $0.rejected == nil })
        let messy = try #require(summary.sources.first { $0.path.hasSuffix("CLA episodes export.csv") })
        #expect(messy.rowsRead == messy.rowsLoaded + messy.rowsQuarantined)
        #expect(messy.quarantineReasons.contains { $0.rule == "ssda903.episodes.DEC.after-DECOM" && $0.dfe == "dfe.ssda903.356" })
        #expect(summary.sources.contains { $0.path.hasSuffix("Episodes.csv.gz") && $0.format?.contains("gzip") == true })
        #expect(summary.keyFingerprint == fingerprint)

        // Nothing identifying anywhere but the quarantine files: warehouse, summary, stdout, stderr.
        let dump = try TestSupport.run("/usr/bin/env", ["sqlite3", warehouse, ".dump"]).stdout
        // Event dates may legitimately equal a date of birth (a child looked after from birth): leave them out.
        let withoutEventDates = try sql(warehouse, "SELECT * FROM children; SELECT * FROM loads; SELECT * FROM quarantine; SELECT * FROM findings; SELECT la, collection_year, child, rne, ls, cin, place, place_provider, rec, reason_place_change, home_post_sector, pl_post_sector, urn, age_at_decom, age_at_dec FROM care_episodes")
        try assertNoRawIdentifiers(in: withoutEventDates, what: "the warehouse")
        let summaryText = try String(contentsOfFile: summaryPath, encoding: .utf8)
        for (text, what) in [(summaryText, "the JSON summary"), (result.stdout, "stdout"), (result.stderr, "the log")] {
            try assertNoRawIdentifiers(in: text, what: what)
        }
        for text in [dump, summaryText, result.stdout, result.stderr] { #expect(!text.contains(keyHex)) }
    }

    @Test func pseudonymsAreStableUnderOneKeyAndDifferUnderAnother() throws {
        let k1 = try keygen("k1"), k2 = try keygen("k2")
        let a = folder.appendingPathComponent("a.sqlite").path
        let b = folder.appendingPathComponent("b.sqlite").path
        let c = folder.appendingPathComponent("c.sqlite").path
        _ = try ingest(a, key: k1)
        _ = try ingest(b, key: k1)
        _ = try ingest(c, key: k2)
        let query = "SELECT child || '|' || ifnull(upn, '') FROM children ORDER BY la, child"
        let first = try sql(a, query), again = try sql(b, query), other = try sql(c, query)
        #expect(!first.isEmpty)
        #expect(first == again)
        let otherSet = Set(other.split(separator: "\n")), firstSet = Set(first.split(separator: "\n"))
        #expect(otherSet.intersection(firstSet).isEmpty)
        #expect(otherSet.count == firstSet.count)
    }

    @Test func aChildIsLinkedAcrossLAsByUPNAndAcrossCollectionsByItsLAID() throws {
        let key = try keygen("link.key")
        let inbox = folder.appendingPathComponent("link")
        let upn = "L352200024123"
        let header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        let episodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        // LA 350 had the child as A1; it moved to LA 352, which knows it as B7. Both send its UPN.
        // LA 352 also has a child A1 of its own, with no UPN: the same raw id in another LA is another child.
        try TestSupport.write(header + "A1,F,14/06/2015,WBRI,\(upn),,\n", to: inbox.appendingPathComponent("350/2025/header.csv"))
        try TestSupport.write(episodes + "A1,01/04/2024,S,C2,N1,U1,PR1,30/09/2024,E13,,M1 1AE,M14 5RT,\n",
                              to: inbox.appendingPathComponent("350/2025/episodes.csv"))
        try TestSupport.write(header + "B7,F,14/06/2015,WBRI,\(upn),,\nA1,M,02/02/2012,WBRI,UN1,,\n",
                              to: inbox.appendingPathComponent("352/2025/header.csv"))
        try TestSupport.write(episodes + "B7,01/10/2024,S,C2,N1,U1,PR1,,,,M1 1AE,M14 5RT,\nA1,01/05/2024,S,C2,N1,U1,PR1,,,,M1 1AE,M14 5RT,\n",
                              to: inbox.appendingPathComponent("352/2025/episodes.csv"))
        // LA 352's CIN census holds B7 too, under the same LA id.
        try TestSupport.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Message>
              <Header>
                <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
                <Source><SourceLevel>L</SourceLevel><LEA>352</LEA><SoftwareCode>X</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo><DateTime>2025-04-30T10:00:00</DateTime></Source>
              </Header>
              <Children>
                <Child>
                  <ChildIdentifiers><LAchildID>B7</LAchildID><UPN>\(upn)</UPN><PersonBirthDate>2015-06-14</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
                  <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
                  <CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails>
                </Child>
              </Children>
            </Message>
            """, to: inbox.appendingPathComponent("cin/census.xml"))
        let warehouse = folder.appendingPathComponent("link.sqlite").path
        let result = try ingest(warehouse, key: key, [inbox.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let rows = try sql(warehouse, "SELECT la, collection, child, ifnull(upn, '') FROM children ORDER BY la, collection, dob_month")
            .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 4)
        let a350 = try #require(rows.first { $0[0] == "350" })
        let b352 = try #require(rows.first { $0[0] == "352" && $0[1] == "ssda903" && !$0[3].isEmpty })
        let a352 = try #require(rows.first { $0[0] == "352" && $0[1] == "ssda903" && $0[3].isEmpty })
        let cin = try #require(rows.first { $0[0] == "352" && $0[1] == "cin" })
        #expect(a350[3] == b352[3] && a350[3] == cin[3] && a350[3].count == 32, "one UPN pseudonym follows the child across LAs")
        #expect(a350[2] != b352[2], "LA ids are scoped by LA: no link without the UPN")
        #expect(a350[2] != a352[2], "the same raw id in two LAs is two children")
        #expect(b352[2] == cin[2], "one LA id links the child's SSDA903 and CIN rows")
        // Analysts follow the move through the UPN pseudonym, without any raw value.
        #expect(try sql(warehouse, "SELECT COUNT(DISTINCT e.la) FROM care_episodes e JOIN children c ON c.la = e.la AND c.child = e.child WHERE c.upn = '\(a350[3])'") == "2")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children WHERE child IN ('A1', 'B7') OR upn = '\(upn)'") == "0")
    }

    @Test func theSameReturnTwiceChangesNothingAndANewVersionReplacesTheOld() throws {
        let key = try keygen("k")
        let warehouse = folder.appendingPathComponent("w.sqlite").path
        let inbox = folder.appendingPathComponent("inbox/350/2025")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for name in ["header.csv", "episodes.csv"] {
            try FileManager.default.copyItem(atPath: TestSupport.samples + "/350/2025/" + name, toPath: inbox.appendingPathComponent(name).path)
        }
        let first = try ingest(warehouse, key: key, [inbox.path])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try ingest(warehouse, key: key, [inbox.path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("unchanged"))
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM loads") == "1")

        // A corrected return: one child fewer.
        let header = inbox.appendingPathComponent("header.csv")
        var lines = try String(contentsOf: header, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let dropped = lines.remove(at: 1).split(separator: ",")[0]
        try TestSupport.write(lines.joined(separator: "\n"), to: header)
        let resent = try ingest(warehouse, key: key, [inbox.path])
        #expect(resent.status == 2, "\(resent.stderr)")   // the dropped child's episodes are now quarantined
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children") == "39")
        #expect(try sql(warehouse, "SELECT status FROM loads ORDER BY load_id") == "replaced\ncurrent")
        #expect(try sql(warehouse, "SELECT COUNT(DISTINCT load_id) FROM children") == "1")
        #expect(!resent.stdout.contains(String(dropped)))
    }

    @Test func aLinkInAReturnIsRefusedNeverFollowed() throws {
        let key = try keygen("k-link")
        let inbox = folder.appendingPathComponent("links")
        try FileManager.default.copyItem(atPath: TestSupport.samples + "/350", toPath: inbox.appendingPathComponent("350").path)
        try FileManager.default.copyItem(atPath: TestSupport.samples + "/352", toPath: inbox.appendingPathComponent("352").path)
        // A link where a return's file would be, pointing at the key: it must not be read.
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("350/2025/extra.csv").path, withDestinationPath: key)
        let warehouse = folder.appendingPathComponent("links.sqlite").path
        let result = try ingest(warehouse, key: key, [inbox.path])
        #expect(result.status == 3)
        #expect(result.stdout.contains("extra.csv: a symbolic link: rcc reads no links"))
        #expect(try sql(warehouse, "SELECT DISTINCT la FROM children") == "352", "the return the link sits in waits; the others load")
        let keyText = try String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!result.stdout.contains(keyText) && !result.stderr.contains(keyText))
    }

    @Test func aReturnWithARefusedSourceIsNotLoadedAndTheRestGoOn() throws {
        let key = try keygen("k")
        let warehouse = folder.appendingPathComponent("w.sqlite").path
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox.appendingPathComponent("352/2025"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestSupport.samples + "/350", toPath: inbox.appendingPathComponent("350").path)
        try TestSupport.write("CHILD,SEX,DOB,ETHNIC\nX1,M,01/01/2010,WBRI\n", to: inbox.appendingPathComponent("352/2025/header.csv"))
        try TestSupport.write("hello", to: inbox.appendingPathComponent("notes.txt"))
        let before = try Data(contentsOf: inbox.appendingPathComponent("352/2025/header.csv"))
        let result = try ingest(warehouse, key: key, [inbox.path])
        #expect(result.status == 3)
        #expect(result.stdout.contains("header.csv: the header looks like SSDA903 Header but has missing columns UPN, MOTHER, MC_DOB"))
        #expect(result.stdout.contains("notes.txt"))
        #expect(try sql(warehouse, "SELECT DISTINCT la FROM children") == "350")
        #expect(try Data(contentsOf: inbox.appendingPathComponent("352/2025/header.csv")) == before)   // inputs are never changed
    }

    @Test func withoutAKeyItSaysHowToMakeOne() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["RCC_KEY"] = nil
        let result = try TestSupport.run(Self.rcc, ["ingest", "--warehouse", folder.appendingPathComponent("w.sqlite").path,
                                                    TestSupport.samples], environment: environment)
        #expect(result.status == 64)
        #expect(result.stderr.contains("rcc keygen"))
    }

    @Test func keygenWritesAPrivateKeyAndPrintsOnlyItsFingerprint() throws {
        let path = folder.appendingPathComponent("new.key").path
        let result = try TestSupport.run(Self.rcc, ["keygen", "--out", path])
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let hex = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hex.count == 64)
        #expect(!result.stdout.contains(hex) && !result.stdout.contains(hex.prefix(12)))
        #expect(result.stdout.contains("fingerprint sha256:"))
        let again = try TestSupport.run(Self.rcc, ["keygen", "--out", path])
        #expect(again.status != 0 && again.stderr.contains("already exists"))
    }
}
