import Foundation
import RCCTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Plants distinctive, synthetic identifiers in returns of every shape rcc reads, runs the built rcc on them, and
/// looks for every planted value in everything rcc printed or wrote. The values planted are LA child ids (SSDA903
/// CHILD, CIN LAchildID, SSD person id), UPNs with a valid check letter, full postcodes, and full dates of birth
/// (none on the 1st of a month, which is what the warehouse keeps). Names, free text, NHS numbers and
/// case-management, staff and address ids go in wherever an input carries them.
///
/// The returns:
/// - an SSDA903 CSV return in `in/350/2025/`, with name columns;
/// - an SSDA903 XML return (`<EXPSSDA903>`) in `in/352/2025/`, with one UPN and one postcode in lower case;
/// - a CIN census XML zipped (`in/886/…zip!/cin/census.xml`);
/// - an SSD extract in `in/357/2025/`, with every column the SSD has (its address table gzipped).
///
/// Some planted rows are quarantined: a bad code, a date read only month first, DEC before DECOM, a child missing
/// from Header, a row with too many fields. Some planted rows load with a finding: a postcode field holding an
/// address, a code field holding free text. Five planted sources are refused: one whose LA cannot be told, a
/// truncated gzip, XML that is not well-formed, a CSV without its header line, and a header missing columns.
/// So the scan also covers what rcc says about rows and sources it turns away.
///
/// The commands run are `rcc keygen`, `rcc ingest --verbose --summary --run-dir`, `rcc report validation` and `rcc report dpo` (with the key
/// in RCC_KEY, so that its child-id check runs too). The scan covers:
/// - the stdout and stderr of each command;
/// - every file under the folder the commands run in: the summary, the run folder, the DPO report and the SQLite
///   file itself, raw bytes, so that deleted rows left in free pages count as well;
/// - every value of every column of every table of the warehouse, on SQLite and, when configured, on PostgreSQL.
///
/// It is case-insensitive. Postcodes are also looked for without their space, and dates in every spelling
/// (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, dd-mm-yyyy, mm/dd/yyyy).
@Suite(.serialized) struct PlantedIdentifierTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    @Test(arguments: TestWarehouses.engines)
    func noPlantedIdentifierReachesAnythingButTheQuarantineFiles(engine: TestWarehouses.Engine) throws {
        let root = try TestSupport.temporaryFolder("rcc-planted")
        let inputs = root.appendingPathComponent("in")
        // Everything rcc writes lands under `outputs`: it is the commands' working folder too, so a stray file is scanned.
        let outputs = root.appendingPathComponent("out")
        // The key is kept out of `outputs`: the key file is the one place the key may be.
        let secrets = root.appendingPathComponent("secrets")
        let scratch = root.appendingPathComponent("scratch")
        for folder in [inputs, outputs, secrets, scratch] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let plants = Plants()
        try PlantedReturns.write(into: inputs, scratch: scratch, plants: plants)
        try FileManager.default.removeItem(at: scratch)
        let inputsBefore = try Self.listing(inputs)

        // The key.
        let keyPath = secrets.appendingPathComponent("region.key").path
        let keygen = try TestSupport.run(Self.rcc, ["keygen", "--out", keyPath], currentDirectory: outputs)
        #expect(keygen.status == 0, "keygen: \(keygen.stderr)")
        let keyHex = try String(contentsOfFile: keyPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(keyHex.count == 64)
        plants.origin = "the key file"
        plants.add("pseudonymisation key", keyHex)

        let warehouse: String
        do {
            warehouse = try TestWarehouses.fresh(engine, in: outputs)
        } catch let error where engine == .postgres && !TestWarehouses.postgresRequired {
            print("NOTICE: planted-identifier test on PostgreSQL skipped: \(error)")
            return
        }

        // Ingest, verbose, with the summary and the run folder where we can see them.
        let runDir = outputs.appendingPathComponent("run")
        let summaryPath = outputs.appendingPathComponent("summary.json")
        let ingest = try TestSupport.run(Self.rcc, [
            "ingest", "--warehouse", warehouse, "--key-file", keyPath, "--schemas", TestSupport.schemas,
            "--summary", summaryPath.path, "--run-dir", runDir.path, "--verbose", inputs.path,
        ], currentDirectory: outputs)
        // 3: sources were refused (the planted refusals); the other returns loaded, with rows quarantined.
        #expect(ingest.status == 3, "ingest exit \(ingest.status):\n\(ingest.stdout)\n\(ingest.stderr)")

        // The DPO report, with the key (RCC_KEY), so its check for raw LA child ids runs too.
        var environment = ProcessInfo.processInfo.environment
        environment["RCC_KEY"] = keyHex
        let reportDir = outputs.appendingPathComponent("reports")
        let report = try TestSupport.run(Self.rcc, [
            "report", "dpo", "--warehouse", warehouse, "--schemas", TestSupport.schemas, "--out", reportDir.path,
        ], environment: environment, currentDirectory: outputs)
        #expect(report.status == 0, "report exit \(report.status):\n\(report.stdout)\n\(report.stderr)")
        let validation = try TestSupport.run(Self.rcc, [
            "report", "validation", "--warehouse", warehouse, "--schemas", TestSupport.schemas, "--out", reportDir.path,
        ], environment: environment, currentDirectory: outputs)
        #expect(validation.status == 0, "validation report exit \(validation.status):\n\(validation.stdout)\n\(validation.stderr)")

        // First, that the planted data got in, so that finding none of it means something.
        try Self.expectTheReturnsLoaded(warehouse, summaryPath: summaryPath, inputs: inputs)

        // The quarantine files are the only place raw rows may be, and they do hold planted values: the plants
        // reached the pipeline.
        let quarantine = runDir.appendingPathComponent("quarantine")
        let quarantineFiles = try Self.files(under: quarantine).filter { $0.hasSuffix(".csv") }
        #expect(Set(quarantineFiles.map { ($0 as NSString).deletingLastPathComponent })
                == ["350-ssda903-2025", "352-ssda903-2025", "357-ssd-2025", "886-cin-2025"],
                "quarantine folders: \(quarantineFiles)")
        var quarantined: [UInt8] = []
        for file in quarantineFiles {
            quarantined += Array(try Data(contentsOf: quarantine.appendingPathComponent(file)))
        }
        let mustBeQuarantined = plants.all.filter(\.quarantinedOnly)
        #expect(mustBeQuarantined.count >= 6)
        for plant in mustBeQuarantined {
            #expect(Self.firstHit(of: plant, in: quarantined) != nil,
                    "planted \(plant.kind) \(plant.value) (\(plant.origin)) should be in a quarantine file")
        }

        // Now the scan: output of every command ...
        var places: [(place: String, bytes: [UInt8])] = [
            ("stdout of rcc keygen", Array(keygen.stdout.utf8)), ("stderr of rcc keygen", Array(keygen.stderr.utf8)),
            ("stdout of rcc ingest", Array(ingest.stdout.utf8)), ("stderr of rcc ingest (the log)", Array(ingest.stderr.utf8)),
            ("stdout of rcc report dpo", Array(report.stdout.utf8)), ("stderr of rcc report dpo", Array(report.stderr.utf8)),
            ("stdout of rcc report validation", Array(validation.stdout.utf8)), ("stderr of rcc report validation", Array(validation.stderr.utf8)),
        ]
        // ... every file rcc wrote (summary, run folder, DPO report, the SQLite file and any journal beside it),
        // except the quarantine CSVs. By design, those keep the raw rows in the run's private folder for the LA to fix.
        let written = try Self.files(under: outputs)
        let excluded = Set(quarantineFiles.map { "run/quarantine/" + $0 })
        let scanned = written.filter { !excluded.contains($0) }
        #expect(scanned.contains("summary.json") && scanned.contains("run/summary.json"), "files: \(written)")
        #expect(scanned.contains("reports/dpo-report.json") && scanned.contains("reports/dpo-report.html"), "files: \(written)")
        #expect(scanned.contains("reports/validation-index.html") && scanned.contains { $0.hasPrefix("reports/validation-357-ssd-2025") },
                "files: \(written)")
        if engine == .sqlite { #expect(scanned.contains((warehouse as NSString).lastPathComponent), "files: \(written)") }
        for file in scanned {
            places.append(("file " + file, Array(try Data(contentsOf: outputs.appendingPathComponent(file)))))
        }
        // ... and every value of every column of every table in the warehouse.
        let tables = try Self.dump(warehouse)
        #expect(tables.count >= 20 && tables.contains { $0.table.hasSuffix("children") }, "tables: \(tables.map(\.table))")
        #expect(tables.reduce(0) { $0 + $1.values } > 200, "the dump holds the loaded rows")
        for table in tables { places.append(("warehouse table " + table.table, Array(table.text.utf8))) }

        var leaks: [String] = []
        for (place, bytes) in places {
            let lowered = Self.lowercased(bytes)
            for plant in plants.all {
                if let hit = Self.firstHit(of: plant, in: bytes, lowered: lowered) {
                    leaks.append("\(place), line \(hit.line): \(plant.kind) \(plant.value) [planted in \(plant.origin)]"
                                 + " found as \"\(hit.form)\" in: \(hit.excerpt)")
                }
            }
        }
        #expect(leaks.isEmpty, "\(leaks.count) planted identifier(s) leaked (\(engine)):\n\(leaks.joined(separator: "\n"))")
        #expect(plants.all.count > 80, "\(plants.all.count) values planted")

        // rcc never writes into its inputs.
        #expect(try Self.listing(inputs) == inputsBefore)
    }

    /// The planted returns are loaded: children per LA and collection, UPNs accepted (so their check letters are
    /// right), postcodes cut to sectors, dates of birth cut to months, the findings, and the refusals.
    static func expectTheReturnsLoaded(_ warehouse: String, summaryPath: URL, inputs: URL) throws {
        func sql(_ query: String) throws -> String { try TestWarehouses.sql(warehouse, query) }
        func set(_ query: String) throws -> Set<String> { Set(try sql(query).split(separator: "\n").map(String.init)) }
        #expect(try sql("SELECT la, collection, COUNT(*), COUNT(upn) FROM children GROUP BY la, collection ORDER BY la, collection")
                == "350|ssda903|3|3\n352|ssda903|2|2\n357|ssd|2|2\n886|cin|2|1")
        #expect(try sql("SELECT COUNT(*) FROM children WHERE la = '886' AND former_upn IS NOT NULL") == "1")
        #expect(try sql("SELECT COUNT(*) FROM loads WHERE status = 'current'") == "4")
        #expect(try set("SELECT la || ':' || COUNT(*) FROM care_episodes GROUP BY la") == ["350:3", "352:2"])
        #expect(try set("SELECT DISTINCT home_post_sector FROM care_episodes WHERE home_post_sector IS NOT NULL")
                == ["QZ1 7", "QZ3 9", "QZ5 5", "QY1 4", "QY3 6"])
        #expect(try set("SELECT DISTINCT pl_post_sector FROM care_episodes WHERE pl_post_sector IS NOT NULL")
                == ["QZ2 8", "QZ4 6", "QY2 5", "QY4 7"])
        // The placement postcode that held an address loaded blank, with a finding.
        #expect(try sql("SELECT COUNT(*) FROM care_episodes WHERE la = '350' AND pl_post_sector IS NULL") == "1")
        #expect(try sql("SELECT post_sector FROM addresses") == "QW1 7")
        // The placement type that held free text loaded blank, with a finding.
        #expect(try sql("SELECT COUNT(*) FROM placements WHERE placement_type IS NULL AND placement_post_sector = 'QW2 8'") == "1")
        // And 886's CIN census, whose children have no disability but NONE, uses fewer than 8 disability codes
        // (2887Q): one finding about the whole return, with no row and no child.
        #expect(try sql("SELECT COUNT(*) FROM findings") == "3")
        #expect(try sql("SELECT rule_id FROM findings WHERE row_number IS NULL AND child IS NULL AND source = ''")
                == "cin.return.Disability.fewer-than-8-codes")
        #expect(try set("SELECT CAST(dob_month AS TEXT) FROM children")
                == ["2013-09-01", "2011-04-01", "2008-11-01", "2012-02-01", "2009-10-01", "2016-05-01", "2018-08-01",
                    "2010-07-01", "2014-12-01"])
        #expect(try sql("SELECT COUNT(*) FROM social_worker_episodes") == "2")
        #expect(try sql("SELECT COUNT(*) FROM cin_referrals WHERE la = '357'") == "1")
        #expect(try sql("SELECT COUNT(*) FROM quarantine") == "8")

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: summaryPath)) as? [String: Any] ?? [:]
        let sources = summary["sources"] as? [[String: Any]] ?? []
        let refused = Set(sources.filter { $0["rejected"] != nil }.compactMap { $0["path"] as? String })
        let prefix = inputs.path + "/"
        #expect(refused == Set(["misc/header-export.csv", "353/2025/upload.csv.gz", "355/2025/episodes.csv",
                                "356/2025/header.csv"].map { prefix + $0 }), "refused: \(refused)")
        // The XML that is not well-formed is found out while its return loads: the return is refused.
        let returns = summary["returns"] as? [[String: Any]] ?? []
        let rejected = returns.filter { $0["status"] as? String == "rejected" }
        #expect(rejected.compactMap { $0["la"] as? String }.sorted() == ["354", "356"], "returns: \(returns)")
        #expect(rejected.contains { ($0["reason"] as? String)?.contains("354/2025/return.xml") == true
                                    && ($0["reason"] as? String)?.contains("not well-formed") == true }, "returns: \(returns)")
        #expect(returns.filter { $0["status"] as? String == "loaded" }.count == 4, "returns: \(returns)")
        let paths = Set(sources.compactMap { $0["path"] as? String })
        #expect(paths.contains(prefix + "886/cin_2024-25.zip!/cin/census.xml"), "sources: \(paths)")
        #expect(sources.contains { ($0["path"] as? String)?.hasSuffix("ssd_address.csv.gz") == true
                                   && ($0["format"] as? String)?.contains("gzip") == true })
    }

    // MARK: The scan

    /// The first place a plant shows in `bytes`, in any of its spellings, ignoring case.
    static func firstHit(of plant: Plant, in bytes: [UInt8], lowered: [UInt8]? = nil) -> (form: String, line: Int, excerpt: String)? {
        let haystack = lowered ?? lowercased(bytes)
        for form in plant.forms {
            let needle = Array(form.lowercased().utf8)
            guard let at = search(needle, in: haystack) else { continue }
            let line = haystack[..<at].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let start = max(haystack[..<at].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0, at - 120)
            let end = min(haystack[at...].firstIndex(of: 0x0A) ?? bytes.count, at + needle.count + 120)
            let excerpt = String(decoding: bytes[start..<end].map { (32...126).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            return (form, line, excerpt)
        }
        return nil
    }

    /// ASCII letters in lower case (every planted value is ASCII).
    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        bytes.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices where buffer[i] &- 65 < 26 { buffer[i] += 32 }
        }
        return bytes
    }

    /// Where `needle` first occurs in `haystack` (memchr for its first byte, then memcmp).
    static func search(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = h.baseAddress!, last = h.count - n.count
                var from = 0
                while from <= last {
                    guard let found = memchr(base + from, Int32(first), last - from + 1) else { return nil }
                    let at = base.distance(to: UnsafePointer(found.assumingMemoryBound(to: UInt8.self)))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
        }
    }

    /// Every value of every column of every table, one `column|value` line each, per table.
    static func dump(_ warehouse: String) throws -> [(table: String, text: String, values: Int)] {
        let postgres = warehouse.hasPrefix("postgres")
        let listing = postgres
            ? """
              SELECT c.table_schema || '.' || c.table_name, c.column_name FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
              WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
              ORDER BY 1, c.ordinal_position
              """
            : "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' ORDER BY m.name, p.cid"
        var columns: [(table: String, column: String)] = []
        for row in try TestWarehouses.sql(warehouse, listing).split(separator: "\n") {
            let parts = row.split(separator: "|", maxSplits: 1).map(String.init)
            if parts.count == 2 { columns.append((parts[0], parts[1])) }
        }
        // One SELECT per column, `table|column|value`, UNION ALL in chunks (SQLite allows 500 terms to a compound).
        var lines: [Substring] = []
        var start = 0
        while start < columns.count {
            let chunk = columns[start..<min(columns.count, start + 200)]
            start += chunk.count
            let query = chunk.map { c in
                let table = c.table.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
                let value = postgres ? "\"\(c.column)\"::text" : "CAST(\"\(c.column)\" AS TEXT)"
                return "SELECT '\(c.table)', '\(c.column)', \(value) FROM \(table) WHERE \"\(c.column)\" IS NOT NULL"
            }.joined(separator: " UNION ALL ")
            lines += try TestWarehouses.sql(warehouse, query).split(separator: "\n")
        }
        var byTable: [String: [Substring]] = [:]
        for table in Set(columns.map(\.table)) { byTable[table] = [] }
        var current = "(unattributed)"
        for line in lines {
            if let bar = line.firstIndex(of: "|"), byTable[String(line[..<bar])] != nil {
                current = String(line[..<bar])
                byTable[current]!.append(line[line.index(after: bar)...])
            } else {
                // The rest of a value with a line break in it: it goes with the line before.
                byTable[current, default: []].append(line)
            }
        }
        return byTable.sorted { $0.key < $1.key }.map { ($0.key, $0.value.joined(separator: "\n"), $0.value.count) }
    }

    /// Regular files under `folder`, as paths relative to it.
    static func files(under folder: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted().filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
                && !isFolder.boolValue
        }
    }

    static func listing(_ folder: URL) throws -> [String: Data] {
        var listing: [String: Data] = [:]
        for file in try files(under: folder) { listing[file] = try Data(contentsOf: folder.appendingPathComponent(file)) }
        return listing
    }
}

// MARK: - What is planted

extension PlantedIdentifierTests {
    /// One planted value, where it was planted, and the spellings to look for.
    struct Plant {
        let kind: String
        let value: String
        let origin: String
        let forms: [String]
        /// Planted only in rows that are quarantined, so it must be in a quarantine file.
        let quarantinedOnly: Bool
    }

    /// The planted values, collected while the inputs are written.
    final class Plants {
        private(set) var all: [Plant] = []
        /// Where the values added next are planted.
        var origin = ""

        @discardableResult
        func add(_ kind: String, _ value: String, forms: [String] = [], quarantinedOnly: Bool = false) -> String {
            var spellings = [value]
            for form in forms where !spellings.contains(form) { spellings.append(form) }
            all.append(Plant(kind: kind, value: value, origin: origin, forms: spellings, quarantinedOnly: quarantinedOnly))
            return value
        }

        func child(_ id: String, quarantinedOnly: Bool = false) -> String { add("LA child id", id, quarantinedOnly: quarantinedOnly) }
        func name(_ name: String) -> String { add("name", name) }
        /// Free text, also looked for by its distinctive words (a name alone is as bad as the whole sentence).
        func text(_ text: String, words: [String]) -> String { add("free text", text, forms: words) }
        func other(_ kind: String, _ id: String) -> String { add(kind, id) }

        /// A UPN: the check letter computed for `body` (12 digits) as the DfE defines it, then the body.
        func upn(_ body: String, quarantinedOnly: Bool = false) -> String {
            add("UPN", Plants.upn(body), quarantinedOnly: quarantinedOnly)
        }

        static func upn(_ body: String) -> String {
            precondition(body.count == 12 && body.allSatisfy(\.isASCII) && body.allSatisfy(\.isNumber))
            let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
            let sum = body.enumerated().reduce(0) { $0 + $1.element.wholeNumberValue! * ($1.offset + 2) }
            return String(letters[sum % 23]) + body
        }

        /// A full postcode `OUTWARD INWARD`, also looked for without its space.
        func postcode(_ postcode: String, quarantinedOnly: Bool = false) -> String {
            add("full postcode", postcode, forms: [postcode.replacingOccurrences(of: " ", with: "")], quarantinedOnly: quarantinedOnly)
        }

        enum DateStyle { case dmy, iso, mdy }

        /// A full date of birth, never the 1st of a month (the warehouse keeps the 1st), returned as the input writes
        /// it and looked for in every spelling.
        func dob(_ day: Int, _ month: Int, _ year: Int, _ style: DateStyle = .dmy, kind: String = "date of birth",
                 quarantinedOnly: Bool = false) -> String {
            precondition(day != 1)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let dmy = "\(two(day))/\(two(month))/\(year)", iso = "\(year)-\(two(month))-\(two(day))"
            let mdy = "\(two(month))/\(two(day))/\(year)"
            let written = style == .dmy ? dmy : style == .iso ? iso : mdy
            add(kind, dmy, forms: [iso, "\(two(day))-\(two(month))-\(year)", "\(day)/\(month)/\(year)", mdy],
                quarantinedOnly: quarantinedOnly)
            return written
        }
    }

    /// The planted returns, written as LAs send them.
    enum PlantedReturns {
        static func write(into inputs: URL, scratch: URL, plants p: Plants) throws {
            func write(_ path: String, _ text: String) throws { try TestSupport.write(text, to: inputs.appendingPathComponent(path)) }
            func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
                let url = inputs.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
            func gzip(_ text: String) throws -> [UInt8] {
                let file = scratch.appendingPathComponent("g-\(UUID().uuidString.prefix(6))")
                try TestSupport.write(text, to: file)
                let result = try TestSupport.run("/usr/bin/env", ["gzip", "-n", "-f", file.path])
                guard result.status == 0 else { throw TestWarehouses.TestError("gzip: \(result.stderr)") }
                return Array(try Data(contentsOf: URL(fileURLWithPath: file.path + ".gz")))
            }

            // SSDA903 CSV, LA 350: name columns beside the return's own.
            p.origin = "in/350/2025 (SSDA903 CSV)"
            let a1 = p.child("QJ350A1"), a2 = p.child("QJ350A2"), a3 = p.child("QJ350A3")
            let q9 = p.child("QJ350Q9", quarantinedOnly: true), q8 = p.child("QJ350Q8", quarantinedOnly: true)
            try write("350/2025/header.csv", """
                CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,Forename,Surname
                \(a1),F,\(p.dob(17, 9, 2013)),WBRI,\(p.upn("350739182461")),0,,\(p.name("Xanthippa")),\(p.name("Quillfeather"))
                \(a2),M,\(p.dob(23, 4, 2011)),AIND,\(p.upn("350739182462")),,,\(p.name("Barnaby")),\(p.name("Thistlewhite"))
                \(a3),F,\(p.dob(29, 11, 2008)),WBRI,\(p.upn("350506728519")),1,\(p.dob(14, 6, 2024, kind: "date of birth (MC_DOB)")),\(p.name("Marigold")),\(p.name("Fennimore"))
                \(q9),Z,\(p.dob(6, 3, 2012, quarantinedOnly: true)),WBRI,\(p.upn("350617839620", quarantinedOnly: true)),,,\(p.name("Peregrine")),\(p.name("Oddsock"))
                \(q8),M,\(p.dob(25, 9, 2012, .mdy, quarantinedOnly: true)),WBRI,\(p.upn("350728940731", quarantinedOnly: true)),,,\(p.name("Hortensia")),\(p.name("Wobblethorpe"))

                """)
            // Row 4: a placement postcode holding an address (a finding). Row 5: DEC before DECOM. Row 6: a child whose
            // Header row was quarantined. Row 7: one field too many. The last three are quarantined.
            try write("350/2025/episodes.csv", """
                CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
                \(a1),02/05/2024,S,C2,N1,U1,PR1,,,,\(p.postcode("QZ1 7WX")),\(p.postcode("QZ2 8YV")),SC123456
                \(a2),03/06/2024,S,C2,N1,U1,PR1,09/10/2024,E13,,\(p.postcode("QZ3 9UT")),\(p.postcode("QZ4 6RS")),SC123456
                \(a3),04/07/2024,S,V2,N4,K2,PR4,,,,\(p.postcode("QZ5 5PN")),\(p.text("Flat 2 Honeysuckle Mews", words: ["Honeysuckle"])),SC123456
                \(a2),11/12/2024,S,C2,N1,U1,PR1,05/11/2024,X1,,\(p.postcode("QZ7 3HJ", quarantinedOnly: true)),\(p.postcode("QZ8 2FG", quarantinedOnly: true)),
                \(q9),06/08/2024,S,C2,N1,U1,PR1,,,,\(p.postcode("QZ9 1DE", quarantinedOnly: true)),\(p.postcode("QZ9 2BA", quarantinedOnly: true)),
                \(a1),10/01/2025,P,C2,N1,U1,PR1,,,,\(p.postcode("QZ6 4LM", quarantinedOnly: true)),\(p.postcode("QZ6 5KL", quarantinedOnly: true)),,stray

                """)

            // SSDA903 XML, LA 352: a UPN and a postcode in lower case, a social worker id; the second episode of the
            // second child has a placement code that does not exist (quarantined).
            p.origin = "in/352/2025 (SSDA903 XML)"
            try write("352/2025/cla_return.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <EXPSSDA903>
                  <CHILD>
                    <HEADER><CHILDID>\(p.child("QJ352B1"))</CHILDID><SEX>F</SEX><DOB>\(p.dob(19, 2, 2012))</DOB><ETHNIC>WBRI</ETHNIC>
                      <UPN>\(p.upn("352846172953").lowercased())</UPN><MOTHER>0</MOTHER><UASC>0</UASC>
                      <SW_EPISODE><SW_ID>\(p.other("staff id", "SWQJ9001"))</SW_ID><SW_DECOM>08/05/2024</SW_DECOM><SW_REASON>MANAGE</SW_REASON></SW_EPISODE></HEADER>
                    <EPISODE><DECOM>08/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER>
                      <HOME_POST>\(p.postcode("QY1 4TU").lowercased().replacingOccurrences(of: " ", with: ""))</HOME_POST><PL_POST>\(p.postcode("QY2 5SR"))</PL_POST><URN>SC654321</URN></EPISODE>
                  </CHILD>
                  <CHILD>
                    <HEADER><CHILDID>\(p.child("QJ352B2"))</CHILDID><SEX>M</SEX><DOB>\(p.dob(27, 10, 2009))</DOB><ETHNIC>AIND</ETHNIC>
                      <UPN>\(p.upn("352846172954"))</UPN><UASC>0</UASC>
                      <SW_EPISODE><SW_ID>\(p.other("staff id", "SWQJ9002"))</SW_ID><SW_DECOM>12/06/2024</SW_DECOM><SW_REASON>FCONTA</SW_REASON></SW_EPISODE></HEADER>
                    <EPISODE><DECOM>12/06/2024</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N4</CIN><PL>K2</PL><PLACE_PROVIDER>PR4</PLACE_PROVIDER>
                      <DEC>13/09/2024</DEC><REC>E13</REC><HOME_POST>\(p.postcode("QY3 6PQ"))</HOME_POST><PL_POST>\(p.postcode("QY4 7NM"))</PL_POST><URN>SC654321</URN></EPISODE>
                    <EPISODE><DECOM>13/09/2024</DECOM><RNE>P</RNE><LS>V2</LS><CIN>N4</CIN><PL>ZZ9</PL><PLACE_PROVIDER>PR4</PLACE_PROVIDER>
                      <HOME_POST>\(p.postcode("QY5 8LK", quarantinedOnly: true))</HOME_POST><PL_POST>\(p.postcode("QY6 9JH", quarantinedOnly: true))</PL_POST></EPISODE>
                  </CHILD>
                </EXPSSDA903>

                """)

            // CIN census XML, LA 886 (from its header), zipped. The third child has an ethnicity code that does not
            // exist (its child row is quarantined).
            p.origin = "in/886/cin_2024-25.zip!/cin/census.xml (CIN census)"
            func cinChild(_ id: String, _ identifiers: String, ethnicity: String) -> String {
                """
                    <Child>
                      <ChildIdentifiers><LAchildID>\(id)</LAchildID>\(identifiers)<Sex>F</Sex></ChildIdentifiers>
                      <ChildCharacteristics><Ethnicity>\(ethnicity)</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
                      <CINdetails><CINreferralDate>2024-06-18</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
                        <Assessments><AssessmentActualStartDate>2024-06-19</AssessmentActualStartDate><AssessmentAuthorisationDate>2024-07-02</AssessmentAuthorisationDate>
                          <FactorsIdentifiedAtAssessment><AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
                      </CINdetails>
                    </Child>

                """
            }
            let census = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Message>
                  <Header>
                    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
                    <Source><SourceLevel>L</SourceLevel><LEA>886</LEA><SoftwareCode>Synthetic</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo><DateTime>2025-04-30T09:00:00</DateTime></Source>
                  </Header>
                  <Children>

                """
                + cinChild(p.child("QJ886C1"), "<UPN>\(p.upn("886951273064"))</UPN><FormerUPN>\(p.upn("886951273065"))</FormerUPN>"
                           + "<PersonBirthDate>\(p.dob(21, 5, 2016, .iso))</PersonBirthDate>", ethnicity: "WBRI")
                + cinChild(p.child("QJ886C2"), "<UPNunknown>UN2</UPNunknown><PersonBirthDate>\(p.dob(13, 8, 2018, .iso))</PersonBirthDate>",
                           ethnicity: "MWBC")
                + cinChild(p.child("QJ886Q9"), "<UPN>\(p.upn("886062384176", quarantinedOnly: true))</UPN>"
                           + "<PersonBirthDate>\(p.dob(26, 3, 2014, .iso, quarantinedOnly: true))</PersonBirthDate>", ethnicity: "ZZZZ")
                + "  </Children>\n</Message>\n"
            try writeBytes("886/cin_2024-25.zip", StoredZip.bytes([("cin/census.xml", Array(census.utf8))]))

            // SSD extract, LA 357: every column the SSD has, names, NHS numbers and address included; the address table
            // gzipped. An episode with an impossible start date is quarantined; a placement type holding free text loads
            // blank with a finding.
            p.origin = "in/357/2025 (SSD extract)"
            let d1 = p.child("QJ357D1"), d2 = p.child("QJ357D2")
            let nhs1 = p.other("NHS number", "9876543219"), nhs2 = p.other("NHS number", "9876543227")
            try write("357/2025/ssd_person.csv", """
                pers_legacy_id,pers_person_id,pers_upn,pers_forename,pers_surname,pers_sex,pers_gender,pers_ethnicity,pers_dob,pers_single_unique_id,pers_upn_unknown,pers_send_flag,pers_expected_dob,pers_death_date,pers_is_mother,pers_nationality
                \(p.other("legacy id", "LEGQJ7001")),\(d1),\(p.upn("357062384175")),\(p.name("Ottoline")),\(p.name("Bramblecombe")),F,Female,WBRI,\(p.dob(12, 7, 2010, .iso)),\(nhs1),,N,,,N,British
                \(p.other("legacy id", "LEGQJ7002")),\(d2),\(p.upn("357062384176")),\(p.name("Cuthbert")),\(p.name("Pennywhistle")),M,Male,AIND,\(p.dob(3, 12, 2014)),\(nhs2),,N,,,N,British

                """)
            try write("357/2025/ssd_cla_episodes.csv", """
                clae_cla_episode_id,clae_person_id,clae_cla_placement_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased_date,clae_cla_episode_ceased_reason,clae_cla_id,clae_referral_id,clae_cla_last_iro_contact_date,clae_entered_care_date
                \(p.other("episode id", "EPIQJ7301")),\(d1),PLCQJ7301,2024-05-14,S,N1,,,\(p.other("period of care id", "CLAQJ7301")),REFQJ7301,2024-09-10,2024-05-14
                \(p.add("episode id", "EPIQJ7302", quarantinedOnly: true)),\(d2),PLCQJ7302,2024-13-40,S,N1,,,CLAQJ7302,REFQJ7302,,

                """)
            try write("357/2025/ssd_cla_placement.csv", """
                clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_type,clap_cla_placement_urn,clap_cla_placement_distance,clap_cla_placement_provider,clap_cla_placement_postcode,clap_cla_placement_end_date,clap_cla_placement_change_reason
                \(p.other("placement id", "PLCQJ7301")),CLAQJ7301,\(d1),2024-05-14,\(p.text("Foster carer Mrs Jemima Puddleduck", words: ["Jemima", "Puddleduck"])),SC112233,12.5,PR1,\(p.postcode("QW2 8AB")),,

                """)
            try write("357/2025/ssd_legal_status.csv", """
                lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
                \(p.other("legal status id", "LGSQJ7301")),\(d1),C2,2024-05-14,

                """)
            let outcome = "{\"\"outcome\"\":\"\"CP\"\",\"\"comment\"\":\"\"\(p.text("Seen with uncle Ebenezer Gravelstone", words: ["Ebenezer", "Gravelstone"]))\"\"}"
            try write("357/2025/ssd_cin_episodes.csv", """
                cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_source_desc,cine_referral_outcome_json,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team,cine_referral_worker_id
                \(p.other("referral id", "REFQJ7302")),\(d2),2024-04-22,N1,1A,"\(p.text("Concern raised by neighbour Mrs Gwendolyn Fairweather-Snoot", words: ["Gwendolyn", "Fairweather"]))","\(outcome)",N,,,\(p.text("Team Wobbleditch", words: ["Wobbleditch"])),\(p.other("staff id", "WRKQJ55"))

                """)
            try write("357/2025/ssd_disability.csv", """
                disa_table_id,disa_person_id,disa_disability_code
                \(p.other("disability record id", "DISQJ7302")),\(d2),HAND

                """)
            // The SSD keeps postcodes without their space.
            let home = p.postcode("QW1 7XY").replacingOccurrences(of: " ", with: "")
            let address = "{\"\"house\"\":\"\"7\"\",\"\"street\"\":\"\"\(p.text("Gallimaufry Close", words: ["Gallimaufry"]))\"\",\"\"town\"\":\"\"\(p.text("Snodsbury", words: []))\"\",\"\"uprn\"\":\"\"\(p.other("UPRN", "100023336956"))\"\"}"
            try writeBytes("357/2025/ssd_address.csv.gz", try gzip("""
                addr_table_id,addr_person_id,addr_address_type,addr_address_start_date,addr_address_end_date,addr_address_postcode,addr_address_json
                \(p.other("address id", "ADRQJ7301")),\(d1),Home,2020-01-06,,\(home),"\(address)"

                """))

            // Refused: a Header whose LA cannot be told (no LA folder, manifest or flag).
            p.origin = "in/misc/header-export.csv (refused: no LA)"
            try write("misc/header-export.csv", """
                CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,Forename
                \(p.child("QJ999R1")),F,\(p.dob(8, 1, 2010)),WBRI,\(p.upn("351173495286")),,,\(p.name("Ignatius"))

                """)
            // Refused: a truncated gzip, named by nothing identifying.
            p.origin = "in/353/2025/upload.csv.gz (refused: truncated gzip)"
            var rows = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
            let r353 = p.child("QJ353R1"), home353 = p.postcode("QV1 3RT"), placed353 = p.postcode("QV2 4SU")
            for day in 2...28 {
                rows += "\(r353),\(day < 10 ? "0" : "")\(day)/05/2024,S,C2,N1,U1,PR1,,,,\(home353),\(placed353),\n"
            }
            let whole = try gzip(rows)
            try writeBytes("353/2025/upload.csv.gz", Array(whole.prefix(whole.count / 2)))
            // Refused: SSDA903 XML that is not well-formed (a UPN with a stray < before it, after a few good children).
            p.origin = "in/354/2025/return.xml (refused: not well-formed)"
            let dob354 = p.dob(15, 8, 2011)
            var bad = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n"
            for n in 1...3 {
                bad += "  <CHILD>\n    <HEADER><CHILDID>\(p.child("QJ354P\(n)"))</CHILDID><SEX>F</SEX><DOB>\(dob354)</DOB>"
                    + "<ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN><UASC>0</UASC></HEADER>\n  </CHILD>\n"
            }
            bad += "  <CHILD>\n    <HEADER><CHILDID>\(p.child("QJ354R1"))</CHILDID><SEX>F</SEX><DOB>\(dob354)</DOB>"
                + "<ETHNIC>WBRI</ETHNIC><UPN><\(p.upn("354284506397"))></UPN><UASC>0</UASC></HEADER>\n  </CHILD>\n</EXPSSDA903>\n"
            try write("354/2025/return.xml", bad)
            // Refused: Episodes without its header line, so its first row of data stands where the header should be.
            p.origin = "in/355/2025/episodes.csv (refused: no header line)"
            try write("355/2025/episodes.csv", """
                \(p.child("QJ355R1")),02/05/2024,S,C2,N1,U1,PR1,,,,\(p.postcode("QV3 5TW")),\(p.postcode("QV4 6UX")),

                """)
            // Refused: a Header missing columns.
            p.origin = "in/356/2025/header.csv (refused: missing columns)"
            try write("356/2025/header.csv", """
                CHILD,SEX,DOB,ETHNIC
                \(p.child("QJ356R1")),F,\(p.dob(21, 7, 2011)),WBRI

                """)
        }
    }
}
