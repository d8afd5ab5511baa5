import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// Returns in the shapes LAs send them, through the built `rcc`: zipped (in any member order, with
/// desktop litter, gzip inside), identified by a manifest or the document's own header, and hostile.
@Suite(.serialized) struct ExtractEndToEndTests {
    static let rcc = IngestEndToEndTests.rcc
    let folder: URL
    let key: String

    init() throws {
        folder = try TestSupport.temporaryFolder("rcc-shapes")
        key = folder.appendingPathComponent("k").path
        _ = try TestSupport.run(Self.rcc, ["keygen", "--out", key])
    }

    func ingest(_ warehouse: String, _ inputs: [String], _ extra: [String] = []) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, ["ingest", "--warehouse", warehouse, "--key-file", key, "--schemas", TestSupport.schemas,
                                       "--summary", folder.appendingPathComponent("summary.json").path] + extra + inputs)
    }

    func summary() throws -> RunSummary {
        try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: folder.appendingPathComponent("summary.json")))
    }

    func sql(_ warehouse: String, _ query: String) throws -> String { try TestWarehouses.sql(warehouse, query) }

    func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: TestSupport.samples + "/350/2025/" + name)))
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = folder.appendingPathComponent("g-\(UUID().uuidString.prefix(6))")
        try Data(bytes).write(to: path)
        #expect(try TestSupport.run("/usr/bin/env", ["gzip", "-f", path.path]).status == 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path.path + ".gz")))
    }

    @Test func aZippedReturnLoadsWhateverTheOrderOfItsMembers() throws {
        let zip = StoredZip.bytes([
            ("903/episodes.csv.gz", try gzip(try sample("episodes.csv"))),   // before the Header it refers to
            ("__MACOSX/903/._episodes.csv.gz", [0, 5, 22, 7, 0, 2]),
            ("903/header.csv", try sample("header.csv")),
        ])
        let path = folder.appendingPathComponent("inbox/350/return_2024-25.zip")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(zip).write(to: path)
        let warehouse = folder.appendingPathComponent("w.sqlite").path
        let result = try ingest(warehouse, [folder.appendingPathComponent("inbox").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children") == "40")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM care_episodes") == "57")
        let sources = try summary().sources
        #expect(sources.map(\.path).contains(path.path + "!/903/header.csv"))
        #expect(sources.first { $0.path.hasSuffix("!/903/episodes.csv.gz") }?.format == "zip › gzip › delimited text")
        #expect(!sources.contains { $0.path.contains("__MACOSX") })
    }

    @Test func aManifestSaysWhichReturnFilesWithoutTellingNamesAre() throws {
        let inbox = folder.appendingPathComponent("upload")
        try TestSupport.write("la: 350\nyear: 2025\ncollection: ssda903\n", to: inbox.appendingPathComponent("manifest.yaml"))
        try Data(try sample("header.csv")).write(to: inbox.appendingPathComponent("a.csv"))
        try Data(try sample("episodes.csv")).write(to: inbox.appendingPathComponent("b.csv"))
        let warehouse = folder.appendingPathComponent("m.sqlite").path
        let result = try ingest(warehouse, [inbox.path])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(try sql(warehouse, "SELECT la, collection_year, COUNT(*) FROM children GROUP BY la, collection_year") == "350|2025|40")
        #expect(try summary().sources.count == 2)   // the manifest is no source

        let wrong = try ingest(warehouse, [inbox.path], ["--collection", "cin"])
        #expect(wrong.status == 3)
        #expect(wrong.stdout.contains("holds ssda903 tables but the return is said to be cin"))
    }

    @Test func aCINCensusNamesItsOwnLAAndYear() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Message>
              <Header>
                <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
                <Source><SourceLevel>L</SourceLevel><LEA>352</LEA><SoftwareCode>X</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo><DateTime>2025-04-30T10:00:00</DateTime></Source>
              </Header>
              <Children>
                <Child>
                  <ChildIdentifiers><LAchildID>CIN001</LAchildID><UPN>L352200024123</UPN><PersonBirthDate>2015-06-14</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
                  <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
                  <CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails>
                </Child>
              </Children>
            </Message>
            """
        let path = folder.appendingPathComponent("incoming/census.xml")
        try TestSupport.write(xml, to: path)
        let warehouse = folder.appendingPathComponent("c.sqlite").path
        let result = try ingest(warehouse, [path.path])
        let source = try #require(try summary().sources.first)
        #expect(source.la == "352" && source.year == 2025 && source.collection == "cin", "\(result.stdout)")
        #expect(source.tables.map(\.table).contains("cin.child"))
        #expect(source.tables.first { $0.table == "cin.referral" }?.rowsRead == 1)
    }

    @Test(arguments: ["../escape.csv", "/etc/escape.csv", "C:\\\\escape.csv"])
    func anArchiveWithAHostileMemberIsRefusedAndTheEarlierVersionStays(name: String) throws {
        let warehouse = folder.appendingPathComponent("h.sqlite").path
        let inbox = folder.appendingPathComponent("in-\(UUID().uuidString.prefix(6))/350/2025")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Data(try sample("header.csv")).write(to: inbox.appendingPathComponent("header.csv"))
        try Data(try sample("episodes.csv")).write(to: inbox.appendingPathComponent("episodes.csv"))
        #expect(try ingest(warehouse, [inbox.path]).status == 0)
        // The same return again, now zipped with a member whose name climbs out of the archive.
        try FileManager.default.removeItem(at: inbox.appendingPathComponent("episodes.csv"))
        try Data(StoredZip.bytes([("episodes.csv", try sample("episodes.csv")), (name, Array("x".utf8))]))
            .write(to: inbox.appendingPathComponent("more.zip"))
        let result = try ingest(warehouse, [inbox.path])
        #expect(result.status == 3)
        #expect(result.stdout.contains("more.zip"))
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM loads") == "1")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM care_episodes") == "57")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape.csv").path))
    }
}

extension ExtractEndToEndTests {
    @Test func emptyAndBinaryFilesAreRefusedAndTheirReturnWaits() throws {
        let inbox = folder.appendingPathComponent("junk/350/2025")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Data(try sample("header.csv")).write(to: inbox.appendingPathComponent("header.csv"))
        try Data().write(to: inbox.appendingPathComponent("episodes.csv"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13] + Array(repeating: 0, count: 100)).write(to: inbox.appendingPathComponent("scan.png"))
        let warehouse = folder.appendingPathComponent("j.sqlite").path
        let result = try ingest(warehouse, [folder.appendingPathComponent("junk").path])
        #expect(result.status == 3)
        let sources = try summary().sources
        #expect(sources.first { $0.path.hasSuffix("episodes.csv") }?.rejected == "the file is empty")
        #expect(sources.first { $0.path.hasSuffix("scan.png") }?.rejected?.contains("binary") == true)
        // The empty Episodes file belongs to LA 350's return; the return waits for a whole one.
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM loads") == "0")
    }

    @Test func datesInAnotherFormatAreReadAndNoted() throws {
        let inbox = folder.appendingPathComponent("iso/350/2025")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        var header = String(decoding: try sample("header.csv"), as: UTF8.self)
        // Rewrite every date of birth dd/mm/yyyy as yyyy-mm-dd, as a SQL export would.
        header = header.split(separator: "\n").map { line -> String in
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let parts = cells[2].split(separator: "/")
            if parts.count == 3 { cells[2] = "\(parts[2])-\(parts[1])-\(parts[0])" }
            return cells.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        try TestSupport.write(header, to: inbox.appendingPathComponent("header.csv"))
        try Data(try sample("episodes.csv")).write(to: inbox.appendingPathComponent("episodes.csv"))
        let warehouse = folder.appendingPathComponent("iso.sqlite").path
        let result = try ingest(warehouse, [folder.appendingPathComponent("iso").path])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM children WHERE dob_month LIKE '____-__-01'") == "40")
        #expect(result.stdout.contains("DOB: dates written as yyyy-mm-dd"))
    }

    @Test func aColumnThatReadsMonthFirstIsReportedAsAmbiguous() throws {
        let inbox = folder.appendingPathComponent("us/350/2025")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        var header = String(decoding: try sample("header.csv"), as: UTF8.self)
        // Swap day and month in every date of birth, as a spreadsheet set to US dates writes them.
        header = header.split(separator: "\n").map { line -> String in
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let parts = cells[2].split(separator: "/")
            if parts.count == 3 { cells[2] = "\(parts[1])/\(parts[0])/\(parts[2])" }
            return cells.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        try TestSupport.write(header, to: inbox.appendingPathComponent("header.csv"))
        let warehouse = folder.appendingPathComponent("us.sqlite").path
        let result = try ingest(warehouse, [folder.appendingPathComponent("us").path])
        let dobs = header.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        let monthFirst = dobs.filter { Int($0.split(separator: "/")[1])! > 12 }.count
        let either = dobs.filter { let p = $0.split(separator: "/"); return Int(p[1])! <= 12 && p[0] != p[1] }.count
        #expect(monthFirst > 0 && either > 0, "the sample has dates of both kinds")
        #expect(result.status == 2)
        #expect(result.stdout.contains("DOB: ambiguous date order: \(monthFirst) dates read only month first (mm/dd/yyyy) and were quarantined; \(either) that fit either way were read day first"),
                "\(result.stdout)")
    }
}

extension ExtractEndToEndTests {
    @Test func anSSDA903XMLReturnLoadsIntoTheSameTablesAsCSV() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <EXPSSDA903>
              <CHILD>
                <HEADER><CHILDID>X100</CHILDID><SEX>F</SEX><DOB>14/03/2012</DOB><ETHNIC>WBRI</ETHNIC><UPN>L352200024123</UPN>
                  <UASC>1</UASC><DUC>01/02/2025</DUC>
                  <SW_EPISODE><SW_ID>SW1234</SW_ID><SW_DECOM>01/05/2024</SW_DECOM><SW_REASON>MANAGE</SW_REASON></SW_EPISODE>
                  <DOLO><DOLO_START>01/06/2024</DOLO_START><DOLO_END>01/08/2024</DOLO_END></DOLO></HEADER>
                <EPISODE />
                <EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER>
                  <HOME_POST>M1 1AE</HOME_POST><PL_POST>M14 5RT</PL_POST></EPISODE>
              </CHILD>
              <CHILD>
                <HEADER><CHILDID>X101</CHILDID><SEX>M</SEX><DOB>02/11/2010</DOB><ETHNIC>AIND</ETHNIC><UPN>UN2</UPN><UASC>0</UASC></HEADER>
                <EPISODE><DECOM>03/06/2024</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N4</CIN><PL>K2</PL><PLACE_PROVIDER>PR4</PLACE_PROVIDER>
                  <DEC>01/09/2024</DEC><REC>E13</REC><HOME_POST>M8 2XY</HOME_POST><PL_POST>OL6 7QR</PL_POST><URN>SC123456</URN></EPISODE>
              </CHILD>
            </EXPSSDA903>
            """
        try TestSupport.write(xml, to: folder.appendingPathComponent("xml903/352/2025/return.xml"))
        let warehouse = folder.appendingPathComponent("x.sqlite").path
        let result = try ingest(warehouse, [folder.appendingPathComponent("xml903").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try sql(warehouse, "SELECT collection, COUNT(*) FROM children GROUP BY collection") == "ssda903|2")
        #expect(try sql(warehouse, "SELECT place, home_post_sector, age_at_decom FROM care_episodes ORDER BY decom") == "U1|M1 1|12\nK2|M8 2|13")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM uasc") == "1")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM social_worker_episodes") == "1")
        #expect(try sql(warehouse, "SELECT COUNT(*) FROM deprivation_of_liberty") == "1")
        #expect(result.stdout.contains("ssda903.episodes: 1 empty <EPISODE> element (no value in any of its items) made no row"),
                "\(result.stdout)")
    }
}
