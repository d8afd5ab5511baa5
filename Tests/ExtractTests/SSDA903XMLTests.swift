import Extract
import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// Synthetic SSDA903 (children looked after) XML in the DfE layout: root `<EXPSSDA903>`, one `<CHILD>`
/// per child holding its `<HEADER>` and its `<EPISODE>`s. Inside `<HEADER>`, in the DfE schema's order:
/// `CHILDID UPN SEX DOB ETHNIC UASC DUC? DATE_INT? DATE_MATCH? FOSTER_CARE? NB_ADOPTR? SEX_ADOPTR?
/// LS_ADOPTR? IN_TOUCH? ACTIV? ACCOM? AMISSING* AREVIEW* MOTHER? MC_DOB? PERMANENCE? OC2? AD_PLACED*`;
/// inside `<EPISODE>`: `DECOM RNE LS CIN PL PL_POST? HOME_POST? URN? PLACE_PROVIDER? DEC REC
/// REASON_PLACE_CHANGE?`. Dates are dd/mm/yyyy. Every value is made up.
///
/// The fixture is a model first (`Child`), written out as XML one element a line; the expected rows of
/// every table are derived from the same model, by field name, so a test compares whole rows.
enum SSDA903Fixture {
    struct Child {
        var id: String
        /// Header items by tag (CHILDID excluded); nil is an empty tag, as LA software sends it.
        var header: KeyValuePairs<String, String?>
        var uasc: String
        var duc: String?
        /// DATE_INT, DATE_MATCH, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR (AD1), sent for adopted children only.
        var adoption: [String]?
        /// IN_TOUCH, ACTIV, ACCOM (OC3), sent for care leavers only.
        var careLeaver: [String]?
        /// MISSING, MIS_START, MIS_END.
        var missing: [[String?]]
        /// REVIEW, REVIEW_CODE.
        var reviews: [[String]]
        var mother: String?
        var mcDOB: String?
        /// PREV_PERM, LA_PERM, DATE_PERM.
        var permanence: [String?]?
        /// SDQ_SCORE … INTERVENTION_OFFERED, in `oc2Tags` order.
        var oc2: [String?]?
        /// DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED.
        var placed: [[String?]]
        /// Values in `episodeTags` order.
        var episodes: [[String?]]
        /// SW_ID, SW_DECOM, SW_DEC, SW_REASON.
        var socialWorkers: [[String?]] = []
        /// DOLO_START, DOLO_END.
        var dolos: [[String?]] = []

        var dob: String { header.first { $0.key == "DOB" }!.value! }
    }

    static let adoptionTags = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
    static let careLeaverTags = ["IN_TOUCH", "ACTIV", "ACCOM"]
    static let missingTags = ["MISSING", "MIS_START", "MIS_END"]
    static let reviewTags = ["REVIEW", "REVIEW_CODE"]
    static let permanenceTags = ["PREV_PERM", "LA_PERM", "DATE_PERM"]
    static let oc2Tags = ["SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
                          "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
    static let placedTags = ["DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
    static let socialWorkerTags = ["SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"]
    static let doloTags = ["DOLO_START", "DOLO_END"]
    static let episodeTags = ["DECOM", "RNE", "LS", "CIN", "PL", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER",
                              "DEC", "REC", "REASON_PLACE_CHANGE"]

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Child `i` (from 1): 2 to 4 episodes, the last one open; 1 or 2 reviews; 0 to 2 missing episodes;
    /// OC2 for even `i`; previous permanence for `i` divisible by 3; decisions to place for adoption
    /// for `i` ≡ 1 (mod 4); an adoption (AD1) for `i` ≡ 2 (mod 4); care-leaver items for `i` divisible
    /// by 5; UASC with a ceased date for `i` ≡ 3 (mod 4); a mother for `i` divisible by 6; one or two
    /// social worker episodes; a deprivation of liberty order for `i` divisible by 4.
    static func child(_ i: Int) -> Child {
        let dob = "\(two(i % 28 + 1))/\(two(i % 12 + 1))/20\(two(8 + i % 8))"
        let episodeCount = 2 + i % 3
        let episodes: [[String?]] = (0..<episodeCount).map { e in
            let start = "\(two(e * 3 + 1))/\(two(e + 4))/2024"
            let last = e == episodeCount - 1
            return [start, e == 0 ? "S" : "P", ["C2", "J2", "V2"][(i + e) % 3], "N\(1 + (i + e) % 8)",
                    ["U1", "R1", "K2", "U4"][(i + e) % 4], "M\(i % 9 + 1) \(e + 1)AB", e == 1 ? nil : "M1 1AE",
                    "SC\(100000 + i * 10 + e)", "PR\(1 + (i + e) % 5)",
                    last ? nil : "\(two(e * 3 + 4))/\(two(e + 5))/2024", last ? nil : "X1", last ? nil : "CARPL"]
        }
        return Child(
            id: "C\(i)",
            header: ["UPN": i % 7 == 0 ? "UN1" : "A\(String(repeating: "0", count: 11))\(i % 10)",
                     "SEX": i % 2 == 0 ? "2" : "1", "DOB": dob, "ETHNIC": ["WBRI", "MWBC", "AIND", "BAFR"][i % 4]],
            uasc: i % 4 == 3 ? "1" : "0",
            duc: i % 4 == 3 ? "\(two(i % 28 + 1))/\(two(i % 12 + 1))/2025" : nil,
            adoption: i % 4 == 2 ? ["10/05/2024", "01/08/2024", "0", "2", "MF", "L\(i % 3)"] : nil,
            careLeaver: i % 5 == 0 ? ["YES", "F\(i % 2 + 1)", "B\(i % 6 + 1)"] : nil,
            missing: (0..<(i % 3)).map { m in ["M", "\(two(m + 10))/06/2024", m == 0 ? "\(two(m + 11))/06/2024" : nil] },
            reviews: (0..<(1 + i % 2)).map { r in ["\(two(r * 5 + 2))/09/2024", "PN\(1 + (i + r) % 7)"] },
            mother: i % 6 == 0 ? "1" : nil,
            mcDOB: i % 6 == 0 ? "02/02/2025" : nil,
            permanence: i % 3 == 0 ? ["P1", i % 2 == 0 ? nil : "352", "ZZ/05/2015"] : nil,
            oc2: i % 2 == 0 ? [i % 4 == 0 ? "\(i % 41)" : nil, i % 4 == 0 ? nil : "SDQ1", "0", "1", "1", "0", "1", "0", "0", "0"] : nil,
            placed: i % 4 == 1 ? [["15/04/2024", "20/07/2024", "RD1"], ["01/09/2024", nil, nil]] : [],
            episodes: episodes,
            socialWorkers: [["SW\(1000 + i)", "01/04/2024", i % 2 == 0 ? "30/09/2024" : nil, nil]]
                + (i % 2 == 0 ? [["SW\(2000 + i)", "01/10/2024", nil, "MANAGE"]] : []),
            dolos: i % 4 == 0 ? [["\(two(i % 28 + 1))/06/2024", i % 8 == 0 ? "\(two(i % 28 + 1))/09/2024" : nil]] : [])
    }

    static func element(_ tag: String, _ value: String?, indent: String) -> String {
        value.map { "\(indent)<\(tag)>\($0)</\(tag)>\n" } ?? "\(indent)<\(tag) />\n"
    }

    static func group(_ tag: String, _ tags: [String], _ values: [String?], indent: String, emptyAbsent: Bool = false) -> String {
        "\(indent)<\(tag)>\n"
            + zip(tags, values).map { emptyAbsent || $0.1 != nil ? element($0.0, $0.1, indent: indent + "  ") : "" }.joined()
            + "\(indent)</\(tag)>\n"
    }

    static func xml(_ c: Child) -> String {
        let h = "      "
        var text = "  <CHILD>\n    <HEADER>\n" + element("CHILDID", c.id, indent: h)
        for (tag, value) in c.header { text += element(tag, value, indent: h) }
        text += element("UASC", c.uasc, indent: h)
        if let duc = c.duc { text += element("DUC", duc, indent: h) }
        for (tag, value) in zip(adoptionTags, c.adoption ?? []) { text += element(tag, value, indent: h) }
        for (tag, value) in zip(careLeaverTags, c.careLeaver ?? []) { text += element(tag, value, indent: h) }
        for m in c.missing { text += group("AMISSING", missingTags, m, indent: h) }
        for r in c.reviews { text += group("AREVIEW", reviewTags, r, indent: h) }
        text += element("MOTHER", c.mother, indent: h) + element("MC_DOB", c.mcDOB, indent: h)
        if let p = c.permanence { text += group("PERMANENCE", permanenceTags, p, indent: h) }
        if let o = c.oc2 { text += group("OC2", oc2Tags, o, indent: h) }
        for p in c.placed { text += group("AD_PLACED", placedTags, p, indent: h) }
        for w in c.socialWorkers { text += group("SW_EPISODE", socialWorkerTags, w, indent: h) }
        for d in c.dolos { text += group("DOLO", doloTags, d, indent: h) }
        text += "    </HEADER>\n"
        // Optional episode items are sent as empty tags when blank, as some LA software does.
        for e in c.episodes { text += group("EPISODE", episodeTags, e, indent: "    ", emptyAbsent: true) }
        return text + "  </CHILD>\n"
    }

    /// The 1-based lines of `text` on which `needle` occurs, in order.
    static func lines(of needle: String, in text: String) -> [Int] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains(needle) }.map { $0.offset + 1 }
    }

    static func document(_ children: [Child]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n" + children.map(xml).joined() + "</EXPSSDA903>\n"
    }

    /// The rows each table should hold, every row by field name (the spec's names, not the XML tags).
    static func expectedRows(_ children: [Child]) -> [String: [[String: String?]]] {
        func by(_ tags: [String], _ values: [String?]) -> [String: String?] {
            Dictionary(uniqueKeysWithValues: zip(tags, values).map { ($0.0, $0.1) })
        }
        var rows: [String: [[String: String?]]] = [:]
        for c in children {
            let id: [String: String?] = ["CHILD": c.id, "DOB": c.dob]
            var header: [String: String?] = ["CHILD": c.id, "MOTHER": c.mother, "MC_DOB": c.mcDOB, "UASC": c.uasc]
            for (tag, value) in c.header { header[tag] = value }
            rows["ssda903.header", default: []].append(header)
            for e in c.episodes {
                var row = by(episodeTags, e).merging(["CHILD": c.id]) { $1 }
                row["PLACE"] = row.removeValue(forKey: "PL")!
                rows["ssda903.episodes", default: []].append(row)
            }
            for r in c.reviews { rows["ssda903.reviews", default: []].append(by(reviewTags, r).merging(id) { $1 }) }
            for m in c.missing { rows["ssda903.missing", default: []].append(by(missingTags, m).merging(id) { $1 }) }
            if let o = c.oc2 { rows["ssda903.oc2", default: []].append(by(oc2Tags, o).merging(id) { $1 }) }
            if let p = c.permanence { rows["ssda903.prev_perm", default: []].append(by(permanenceTags, p).merging(id) { $1 }) }
            for p in c.placed { rows["ssda903.placed_adoption", default: []].append(by(placedTags, p).merging(id) { $1 }) }
            if let a = c.adoption { rows["ssda903.ad1", default: []].append(by(adoptionTags, a).merging(id) { $1 }) }
            if let l = c.careLeaver { rows["ssda903.oc3", default: []].append(by(careLeaverTags, l).merging(id) { $1 }) }
            for w in c.socialWorkers { rows["ssda903.sw_episodes", default: []].append(by(socialWorkerTags, w).merging(id) { $1 }) }
            for d in c.dolos { rows["ssda903.dolo", default: []].append(by(doloTags, d).merging(id) { $1 }) }
            if c.uasc == "1" || c.duc != nil {
                let sex = c.header.first { $0.key == "SEX" }?.value ?? nil
                rows["ssda903.uasc", default: []].append(["CHILD": c.id, "SEX": sex, "DOB": c.dob, "DUC": c.duc])
            }
        }
        return rows
    }
}

@Suite struct SSDA903XMLTests {
    let folder: URL
    /// The SSDA903 specs: the same ones the CSV tables are read with.
    let specs = TestSupport.catalog.inputs.filter { $0.collection == "ssda903" }
    /// Every SSDA903 table: the ten whose tags the DfE CLA XML schema gives, and SWEpisodes and DoLo,
    /// whose tags follow that schema's convention (see their specs).
    static let boundTables: Set<String> = [
        "ssda903.header", "ssda903.episodes", "ssda903.reviews", "ssda903.missing", "ssda903.oc2",
        "ssda903.prev_perm", "ssda903.placed_adoption", "ssda903.ad1", "ssda903.oc3", "ssda903.uasc",
        "ssda903.sw_episodes", "ssda903.dolo",
    ]

    init() throws { folder = try TestSupport.temporaryFolder("rcc-903xml") }

    func reader(_ text: String, name: String) throws -> XMLTableReader {
        let url = folder.appendingPathComponent(name)
        try TestSupport.write(text, to: url)
        return try XMLTableReader(source: try SourceOpener.open(path: url.path).source, specs: specs)
    }

    func drain(_ reader: XMLTableReader, size: Int = 4096) throws -> [(table: String, records: [Record])] {
        var batches: [(table: String, records: [Record])] = []
        while let batch = try reader.nextBatch(size: size) { batches.append((batch.spec.id, batch.records)) }
        return batches
    }

    func spec(_ id: String) -> InputSpec { specs.first { $0.id == id }! }

    // MARK: The specs

    @Test func theCSVSpecsCarrySoundXMLBindings() throws {
        let bound = Set(specs.filter { $0.xml != nil }.map(\.id))
        #expect(bound.isSuperset(of: Self.boundTables), "missing: \(Self.boundTables.subtracting(bound))")
        for spec in specs where spec.xml != nil {
            let binding = spec.xml!
            #expect(binding.root == "EXPSSDA903", "\(spec.id)")
            #expect(binding.unit == "EXPSSDA903/CHILD", "\(spec.id)")
            #expect(binding.problems(in: spec).isEmpty, "\(spec.id): \(binding.problems(in: spec))")
            #expect(spec.readsCSV, "\(spec.id) must still be recognised as CSV")
            // Every table's child id is the child's <CHILDID>, on every row of the child.
            let child = try #require(spec.fields.first { $0.name == "CHILD" }?.xml)
            let rowIsHeader = binding.row.hasSuffix("/HEADER")
            #expect(child == (rowIsHeader ? "CHILDID" : "/HEADER/CHILDID"), "\(spec.id)")
            if let dob = spec.fields.first(where: { $0.name == "DOB" }), !rowIsHeader {
                #expect(dob.xml == "/HEADER/DOB", "\(spec.id): DOB comes from the header")
            }
            // The CSV date format stays accepted.
            for field in spec.fields where field.type == .date {
                #expect(field.formats?.contains("dd/mm/yyyy") == true, "\(spec.id).\(field.name)")
            }
        }
        // Placement type is <PL> in the XML, PLACE in the CSV.
        #expect(spec("ssda903.episodes").fields.first { $0.name == "PLACE" }?.xml == "PL")
    }

    @Test func theCSVHeadersAreStillRecognised() throws {
        let recognizer = TableRecognizer(specs: TestSupport.catalog.inputs.filter(\.readsCSV))
        for id in Self.boundTables {
            let names = spec(id).fields.map(\.name)
            guard case .recognised(let match) = recognizer.recognise(header: names) else {
                Issue.record("\(id): its CSV header is no longer recognised")
                continue
            }
            #expect(match.spec.id == id)
        }
    }

    // MARK: Rows

    @Test func readsEveryTablesRowsWithTheirCellsInSpecOrder() throws {
        let children = (1...12).map(SSDA903Fixture.child)
        let text = SSDA903Fixture.document(children)
        let xml = try reader(text, name: "903.xml")
        let batches = try drain(xml)
        let all = batches.reduce(into: [String: [Record]]()) { $0[$1.table, default: []] += $1.records }
        let expected = SSDA903Fixture.expectedRows(children)

        #expect(Set(all.keys) == Self.boundTables)
        #expect(Set(expected.keys) == Self.boundTables, "the fixture has rows for every bound table")
        #expect(xml.unitsRead == 12)
        #expect(xml.rowsRead == expected.values.map(\.count).reduce(0, +))
        for (table, rows) in expected {
            let spec = spec(table)
            let got = all[table] ?? []
            #expect(got.count == rows.count, "\(table)")
            #expect(xml.rowsReadByTable[table] == rows.count, "\(table)")
            for (record, row) in zip(got, rows) {
                let want: [String?] = spec.fields.map { row[$0.name] ?? nil }
                #expect(record.cells == want, "\(table) row at line \(record.row)")
                #expect(record.cells.count == spec.fields.count)
                #expect(record.problem == nil, "\(table): \(record.problem ?? "")")
            }
        }

        // Spot checks in plain words, against the fixture as written.
        let header = all["ssda903.header"]!
        #expect(header.map { $0.cells[0] } == children.map(\.id))
        #expect(header[0].cells == ["C1", "1", children[0].dob, "MWBC", "A000000000001", nil, nil, "0"],
                "<MOTHER /> and <MC_DOB /> are blank cells; <UASC> is the Header's")
        let sixth = header[5].cells
        #expect(sixth[5] == "1" && sixth[6] == "02/02/2025", "child 6 is a mother")
        let episodes = all["ssda903.episodes"]!
        let c1 = episodes.filter { $0.cells[0] == "C1" }
        #expect(c1.count == 3)
        let place = spec("ssda903.episodes").index(of: "PLACE")!, dec = spec("ssda903.episodes").index(of: "DEC")!
        #expect(c1.map { $0.cells[place] } == ["R1", "K2", "U4"], "PLACE is read from <PL>")
        #expect(c1.map { $0.cells[dec] } == ["04/05/2024", "07/06/2024", nil], "an empty <DEC /> is a blank cell")
        #expect(all["ssda903.oc3"]!.map { $0.cells[0] } == ["C5", "C10"])
        #expect(all["ssda903.ad1"]!.map { $0.cells[0] } == ["C2", "C6", "C10"])
        #expect(all["ssda903.prev_perm"]!.map { $0.cells[0] } == ["C3", "C6", "C9", "C12"])
        #expect(all["ssda903.placed_adoption"]!.map { $0.cells[0] } == ["C1", "C1", "C5", "C5", "C9", "C9"])
        let oc3 = spec("ssda903.oc3")
        #expect(all["ssda903.oc3"]![0].cells == ["C5", children[4].dob, "YES", "F2", "B6"])
        #expect(oc3.fields.map(\.name) == ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"])

        // The right child on every row: each row's CHILD and DOB are those of the <CHILD> it sits in.
        let dobs = Dictionary(uniqueKeysWithValues: children.map { ($0.id, $0.dob) })
        for (table, records) in all {
            guard let dob = spec(table).index(of: "DOB"), table != "ssda903.header" else { continue }
            for record in records { #expect(record.cells[dob] == dobs[record.cells[0]!], "\(table) line \(record.row)") }
        }
    }

    /// <UASC> is the Header's; a UASC row is made where it is 1 or a <DUC> is given, so that a DUC sent with
    /// UASC 0 (DfE 303) is kept rather than dropped.
    @Test func aDateUASCCeasedWithUASCZeroMakesAUASCRow() throws {
        func child(_ id: String, _ uasc: String, _ duc: String?) -> String {
            "<CHILD><HEADER><CHILDID>\(id)</CHILDID><SEX>1</SEX><DOB>03/03/2008</DOB><UASC>\(uasc)</UASC>"
                + (duc.map { "<DUC>\($0)</DUC>" } ?? "") + "</HEADER></CHILD>\n"
        }
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n" + child("U1", "1", nil) + child("U2", "0", "01/02/2026")
            + child("U3", "0", nil) + child("U4", "1", "03/03/2026") + "</EXPSSDA903>\n"
        let all = try drain(try reader(text, name: "uasc.xml")).reduce(into: [String: [Record]]()) { $0[$1.table, default: []] += $1.records }
        let uasc = spec("ssda903.header").index(of: "UASC")!
        #expect(all["ssda903.header"]!.map { $0.cells[uasc] } == ["1", "0", "0", "1"])
        let duc = spec("ssda903.uasc").index(of: "DUC")!
        #expect(all["ssda903.uasc"]!.map { [$0.cells[0], $0.cells[duc]] } == [["U1", nil], ["U2", "01/02/2026"], ["U4", "03/03/2026"]])
    }

    @Test func emptyRowElementsMakeNoRowsAndAreCounted() throws {
        // As some LA software writes a child with nothing to say: every optional group present but empty.
        let text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <EXPSSDA903>
          <CHILD>
            <HEADER>
              <CHILDID>E1</CHILDID><UPN>UN1</UPN><SEX>1</SEX><DOB>03/03/2015</DOB><ETHNIC>WBRI</ETHNIC><UASC>0</UASC>
              <DATE_INT /><DATE_MATCH /><FOSTER_CARE></FOSTER_CARE><NB_ADOPTR /><SEX_ADOPTR /><LS_ADOPTR />
              <AMISSING><MISSING /><MIS_START /><MIS_END /></AMISSING>
              <AREVIEW>
              </AREVIEW>
              <SW_EPISODE><SW_ID>SW77</SW_ID><SW_DECOM>01/04/2024</SW_DECOM></SW_EPISODE>
              <SW_EPISODE />
              <DOLO><DOLO_START /><DOLO_END /></DOLO>
            </HEADER>
            <EPISODE><DECOM>01/04/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL></EPISODE>
            <EPISODE />
            <EPISODE><UNKNOWN_TAG>x</UNKNOWN_TAG></EPISODE>
          </CHILD>
          <CHILD>
            <HEADER>
              <CHILDID>E2</CHILDID><SEX>2</SEX><DOB>04/04/2016</DOB>
              <DATE_INT /><DATE_MATCH>01/02/2025</DATE_MATCH>
            </HEADER>
          </CHILD>
        </EXPSSDA903>
        """
        let xml = try reader(text, name: "empty.xml")
        let all = try drain(xml).reduce(into: [String: [Record]]()) { $0[$1.table, default: []] += $1.records }
        #expect(xml.emptyRowsByTable == ["ssda903.ad1": 1, "ssda903.missing": 1, "ssda903.reviews": 1,
                                         "ssda903.sw_episodes": 1, "ssda903.dolo": 1, "ssda903.episodes": 1])
        #expect(all["ssda903.sw_episodes"]!.map { $0.cells } == [["E1", "03/03/2015", "SW77", "01/04/2024", nil, nil]])
        #expect(all["ssda903.missing"] == nil && all["ssda903.reviews"] == nil && all["ssda903.dolo"] == nil)
        // An element with text the spec does not know still makes a row, to be quarantined with a reason.
        #expect(all["ssda903.episodes"]!.count == 2)
        #expect(all["ssda903.episodes"]![1].cells.dropFirst().allSatisfy { $0 == nil })
        // A blank <DATE_INT/> beside a given adoption item is a row: the blank is a finding, not nothing.
        let ad1 = try #require(all["ssda903.ad1"])
        #expect(ad1.count == 1)
        #expect(ad1[0].cells[0] == "E2" && ad1[0].cells[2] == nil && ad1[0].cells[3] == "01/02/2025")
        #expect(xml.rowElement(of: "ssda903.sw_episodes") == "SW_EPISODE")
        #expect(xml.rowsRead == all.values.map(\.count).reduce(0, +))
    }

    @Test func rowsPointAtTheLineOfTheirElement() throws {
        let text = SSDA903Fixture.document((1...6).map(SSDA903Fixture.child))
        let all = try drain(try reader(text, name: "lines.xml"))
            .reduce(into: [String: [Record]]()) { $0[$1.table, default: []] += $1.records }
        #expect(all["ssda903.header"]!.map(\.row) == SSDA903Fixture.lines(of: "<HEADER>", in: text))
        #expect(all["ssda903.episodes"]!.map(\.row) == SSDA903Fixture.lines(of: "<EPISODE>", in: text))
        #expect(all["ssda903.reviews"]!.map(\.row) == SSDA903Fixture.lines(of: "<AREVIEW>", in: text))
        #expect(all["ssda903.ad1"]!.map(\.row) == SSDA903Fixture.lines(of: "<DATE_INT>", in: text))
    }

    @Test func everyXMLDateParsesWithItsFieldsFormats() throws {
        let children = (1...12).map(SSDA903Fixture.child)
        let batches = try drain(try reader(SSDA903Fixture.document(children), name: "dates.xml"))
        var dates = 0
        for batch in batches {
            let spec = spec(batch.table)
            for (i, field) in spec.fields.enumerated() where field.type == .date {
                for record in batch.records {
                    guard let value = record.cells[i] else { continue }
                    #expect(CivilDate.parse(value, formats: field.formats ?? []) != nil, "\(spec.id).\(field.name)")
                    dates += 1
                }
            }
        }
        #expect(dates > 100)
    }

    @Test func headersComeBeforeTheirChildrensRowsInEveryFlush() throws {
        let children = (1...60).map(SSDA903Fixture.child)
        let xml = try reader(SSDA903Fixture.document(children), name: "order.xml")
        let order = xml.specs.map(\.id)
        #expect(order.first == "ssda903.header", "the table every other refers to is emitted first")
        #expect(Set(order) == Self.boundTables)

        // Small batches: units are read until one table has a batch waiting, then every table's waiting
        // rows flush, Header first. Every other row's child must already have come in a Header batch.
        let batches = try drain(xml, size: 7)
        var seen = Set<String>()
        var flushes = 0, last = Int.max
        for batch in batches {
            let index = order.firstIndex(of: batch.table)!
            if index < last { flushes += 1 }
            last = index
            #expect(batch.records.count <= 7)
            for record in batch.records {
                let child = try #require(record.cells[0])
                if batch.table == "ssda903.header" {
                    seen.insert(child)
                } else {
                    #expect(seen.contains(child), "\(batch.table) row of \(child) came before its Header row")
                }
            }
        }
        #expect(flushes > 1, "the reader flushed more than once, so the order held across flushes")
        #expect(seen.count == 60)
        let total = batches.map(\.records.count).reduce(0, +)
        #expect(total == SSDA903Fixture.expectedRows(children).values.map(\.count).reduce(0, +))
    }

    @Test func aCINReaderRefusesAnSSDA903Document() throws {
        let cin = TestSupport.catalog.inputs.filter { $0.collection == "cin" }
        let url = folder.appendingPathComponent("not-cin.xml")
        try TestSupport.write(SSDA903Fixture.document([SSDA903Fixture.child(1)]), to: url)
        let xml = try XMLTableReader(source: try SourceOpener.open(path: url.path).source, specs: cin)
        #expect(throws: RCCError.self) { _ = try xml.nextBatch(size: 10) }
    }
}
