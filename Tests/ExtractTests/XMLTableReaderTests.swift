import Extract
import Foundation
import RCCCore
import RCCTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthetic CIN census XML, pretty-printed one element a line, in either layout of the child's sex.
enum CINFixture {
    enum Layout: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// `<GenderCurrent>` 0/1/2/9, to 2023-24.
        case genderCurrent
        /// `<Sex>` M/F/U, from 2024-25.
        case sex
        var testDescription: String { rawValue }
    }

    static func header(lea: String = "352", year: String = "2025", referenceDate: String = "2025-03-31") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Message>
          <Header>
            <CollectionDetails>
              <Collection>CIN</Collection>
              <Year>\(year)</Year>
              <ReferenceDate>\(referenceDate)</ReferenceDate>
            </CollectionDetails>
            <Source>
              <SourceLevel>L</SourceLevel>
              <LEA>\(lea)</LEA>
              <SoftwareCode>Synthetic</SoftwareCode>
              <Release>1.0</Release>
              <SerialNo>001</SerialNo>
              <DateTime>2025-05-01T10:00:00</DateTime>
            </Source>
          </Header>
          <Children>

        """
    }

    static let footer = "  </Children>\n</Message>\n"

    /// Child `i`: two disabilities, two referrals; the first with two assessments (two factors, then
    /// one), a CIN plan, a section 47 enquiry and a protection plan with two reviews; the second
    /// with one assessment and no factors. 16 rows over the nine tables.
    static func child(_ i: Int, layout: Layout, id: String? = nil) -> String {
        let sex = layout == .genderCurrent ? "<GenderCurrent>\(i % 2 == 0 ? "2" : "1")</GenderCurrent>"
                                           : "<Sex>\(i % 2 == 0 ? "F" : "M")</Sex>"
        return """
            <Child>
              <ChildIdentifiers>
                <LAchildID>\(id ?? "C\(i)")</LAchildID>
                <UPNunknown>UN1</UPNunknown>
                <PersonBirthDate>2015-03-27</PersonBirthDate>
                \(sex)
              </ChildIdentifiers>
              <ChildCharacteristics>
                <Ethnicity>WBRI</Ethnicity>
                <Disabilities>
                  <Disability>HAND</Disability>
                  <Disability>HEAR</Disability>
                </Disabilities>
              </ChildCharacteristics>
              <CINdetails>
                <CINreferralDate>2024-05-01</CINreferralDate>
                <ReferralSource>1A</ReferralSource>
                <PrimaryNeedCode>N4</PrimaryNeedCode>
                <CINclosureDate>2024-09-01</CINclosureDate>
                <ReasonForClosure>RC1</ReasonForClosure>
                <DateOfInitialCPC>2024-06-03</DateOfInitialCPC>
                <Assessments>
                  <AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
                  <AssessmentAuthorisationDate>2024-05-20</AssessmentAuthorisationDate>
                  <FactorsIdentifiedAtAssessment>
                    <AssessmentFactors>1C</AssessmentFactors>
                    <AssessmentFactors>4B</AssessmentFactors>
                  </FactorsIdentifiedAtAssessment>
                </Assessments>
                <Assessments>
                  <AssessmentActualStartDate>2024-07-01</AssessmentActualStartDate>
                  <FactorsIdentifiedAtAssessment>
                    <AssessmentFactors>21</AssessmentFactors>
                  </FactorsIdentifiedAtAssessment>
                </Assessments>
                <CINPlanDates>
                  <CINPlanStartDate>2024-06-01</CINPlanStartDate>
                  <CINPlanEndDate>2024-08-01</CINPlanEndDate>
                </CINPlanDates>
                <Section47>
                  <S47ActualStartDate>2024-05-03</S47ActualStartDate>
                  <InitialCPCtarget>2024-05-31</InitialCPCtarget>
                  <DateOfInitialCPC>2024-06-03</DateOfInitialCPC>
                  <ICPCnotRequired>false</ICPCnotRequired>
                </Section47>
                <ReferralNFA>0</ReferralNFA>
                <ChildProtectionPlans>
                  <CPPstartDate>2024-06-03</CPPstartDate>
                  <CPPendDate>2024-08-30</CPPendDate>
                  <InitialCategoryOfAbuse>PHY</InitialCategoryOfAbuse>
                  <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
                  <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
                  <Reviews>
                    <CPPreviewDate>2024-07-01</CPPreviewDate>
                    <CPPreviewDate>2024-08-01</CPPreviewDate>
                  </Reviews>
                </ChildProtectionPlans>
              </CINdetails>
              <CINdetails>
                <CINreferralDate>2025-01-10</CINreferralDate>
                <ReferralSource>6</ReferralSource>
                <Assessments>
                  <AssessmentActualStartDate>2025-01-11</AssessmentActualStartDate>
                </Assessments>
                <ReferralNFA>false</ReferralNFA>
              </CINdetails>
            </Child>

        """
    }

    static let rowsPerChild: [String: Int] = [
        "cin.child": 1, "cin.disability": 2, "cin.referral": 2, "cin.assessment": 3, "cin.assessment_factor": 3,
        "cin.plan": 1, "cin.section47": 1, "cin.protection_plan": 1, "cin.cpp_review": 2,
    ]

    static func document(children: Int, layout: Layout) -> String {
        header() + (1...children).map { child($0, layout: layout) }.joined() + footer
    }

    /// The 1-based lines of `text` on which `needle` occurs, in order.
    static func lines(of needle: String, in text: String) -> [Int] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains(needle) }.map { $0.offset + 1 }
    }
}

/// A loopback listener that records whether anything connected to it.
final class LoopbackListener {
    let fd: Int32
    let port: UInt16
    init() throws {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RCCError(.io, "cannot open a socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 4) == 0 else { close(fd); throw RCCError(.io, "cannot listen on loopback") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }
    var wasContacted: Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }
    deinit { close(fd) }
}

@Suite struct XMLTableReaderTests {
    let folder: URL
    let cinSpecs = TestSupport.catalog.inputs.filter { $0.collection == "cin" }

    init() throws { folder = try TestSupport.temporaryFolder("rcc-xml") }

    func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try TestSupport.write(text, to: url)
        return url.path
    }

    func reader(_ path: String, specs: [InputSpec]? = nil) throws -> XMLTableReader {
        try XMLTableReader(source: try SourceOpener.open(path: path).source, specs: specs ?? cinSpecs)
    }

    /// Every batch, in order, as (table id, records).
    func drain(_ reader: XMLTableReader, size: Int = 4096) throws -> [(table: String, records: [Record])] {
        var batches: [(table: String, records: [Record])] = []
        while let batch = try reader.nextBatch(size: size) { batches.append((batch.spec.id, batch.records)) }
        return batches
    }

    func tables(_ batches: [(table: String, records: [Record])]) -> [String: [Record]] {
        batches.reduce(into: [:]) { $0[$1.table, default: []] += $1.records }
    }

    /// A record's cells by field name.
    func cells(_ record: Record, _ table: String) -> [String: String] {
        let spec = cinSpecs.first { $0.id == table }!
        var result: [String: String] = [:]
        for (field, cell) in zip(spec.fields, record.cells) { if let cell { result[field.name] = cell } }
        return result
    }

    // MARK: Tables and keys

    @Test(arguments: CINFixture.Layout.allCases)
    func readsEveryTableWithKeysLinkingAChildsRecords(layout: CINFixture.Layout) throws {
        let text = CINFixture.document(children: 2, layout: layout)
        let path = try file("cin-\(layout).xml", text)
        let xml = try reader(path)
        let all = tables(try drain(xml))

        #expect(Set(all.keys) == Set(CINFixture.rowsPerChild.keys))
        for (table, count) in CINFixture.rowsPerChild { #expect(all[table]?.count == 2 * count, "\(table)") }
        #expect(xml.rowsRead == 32)
        #expect(xml.unitsRead == 2)
        #expect(xml.rowsReadByTable["cin.assessment"] == 6)

        let children = all["cin.child"]!.map { cells($0, "cin.child") }
        #expect(children.map { $0["LAchildID"] } == ["C1", "C2"])
        #expect(children.map { $0["Sex"] } == (layout == .genderCurrent ? ["1", "2"] : ["M", "F"]))
        #expect(children[0]["Ethnicity"] == "WBRI")
        #expect(children[0]["UPNunknown"] == "UN1")
        #expect(children[0]["PersonBirthDate"] == "2015-03-27")
        #expect(children[0]["UPN"] == nil, "an absent element is a blank cell")

        let disabilities = all["cin.disability"]!.map { cells($0, "cin.disability") }
        #expect(disabilities.map { [$0["LAchildID"]!, $0["Disability"]!] } == [["C1", "HAND"], ["C1", "HEAR"], ["C2", "HAND"], ["C2", "HEAR"]])

        let referrals = all["cin.referral"]!.map { cells($0, "cin.referral") }
        #expect(referrals.map { [$0["LAchildID"]!, $0["referral"]!, $0["CINreferralDate"]!] } == [
            ["C1", "1", "2024-05-01"], ["C1", "2", "2025-01-10"], ["C2", "1", "2024-05-01"], ["C2", "2", "2025-01-10"]])
        #expect(referrals[0]["ReasonForClosure"] == "RC1")
        #expect(referrals[0]["ReferralNFA"] == "0")
        #expect(referrals[1]["ReferralNFA"] == "false")
        #expect(referrals[1]["PrimaryNeedCode"] == nil)

        let assessments = all["cin.assessment"]!.map { cells($0, "cin.assessment") }
        #expect(assessments.map { [$0["LAchildID"]!, $0["referral"]!, $0["assessment"]!, $0["AssessmentActualStartDate"]!] } == [
            ["C1", "1", "1", "2024-05-02"], ["C1", "1", "2", "2024-07-01"], ["C1", "2", "1", "2025-01-11"],
            ["C2", "1", "1", "2024-05-02"], ["C2", "1", "2", "2024-07-01"], ["C2", "2", "1", "2025-01-11"]])
        #expect(assessments[0]["AssessmentAuthorisationDate"] == "2024-05-20")

        let factors = all["cin.assessment_factor"]!.map { cells($0, "cin.assessment_factor") }
        #expect(factors.prefix(3).map { [$0["LAchildID"]!, $0["referral"]!, $0["assessment"]!, $0["AssessmentFactors"]!] } == [
            ["C1", "1", "1", "1C"], ["C1", "1", "1", "4B"], ["C1", "1", "2", "21"]])

        let plans = all["cin.plan"]!.map { cells($0, "cin.plan") }
        #expect(plans.map { [$0["LAchildID"]!, $0["referral"]!, $0["plan"]!, $0["CINPlanEndDate"]!] } == [
            ["C1", "1", "1", "2024-08-01"], ["C2", "1", "1", "2024-08-01"]])
        let s47 = all["cin.section47"]!.map { cells($0, "cin.section47") }
        #expect(s47.map { [$0["LAchildID"]!, $0["referral"]!, $0["section47"]!, $0["ICPCnotRequired"]!] } == [
            ["C1", "1", "1", "false"], ["C2", "1", "1", "false"]])
        let cpps = all["cin.protection_plan"]!.map { cells($0, "cin.protection_plan") }
        #expect(cpps.map { [$0["LAchildID"]!, $0["referral"]!, $0["protection_plan"]!, $0["LatestCategoryOfAbuse"]!, $0["NumberOfPreviousCPP"]!] } == [
            ["C1", "1", "1", "NEG", "0"], ["C2", "1", "1", "NEG", "0"]])
        let reviews = all["cin.cpp_review"]!.map { cells($0, "cin.cpp_review") }
        #expect(reviews.prefix(2).map { [$0["LAchildID"]!, $0["referral"]!, $0["protection_plan"]!, $0["CPPreviewDate"]!] } == [
            ["C1", "1", "1", "2024-07-01"], ["C1", "1", "1", "2024-08-01"]])

        // Every row's key matches a row of the table its foreign key names.
        for spec in cinSpecs {
            for fk in spec.foreignKeys ?? [] {
                let parentKeys = Set(all[fk.reference.table]!.map { r in fk.reference.fields.map { cells(r, fk.reference.table)[$0]! } })
                for record in all[spec.id]! {
                    let key = fk.fields.map { cells(record, spec.id)[$0]! }
                    #expect(parentKeys.contains(key), "\(spec.id) \(key) has no \(fk.reference.table)")
                }
            }
        }
        // Primary keys are unique.
        for spec in cinSpecs {
            let keys = all[spec.id]!.map { r in spec.primaryKey!.map { cells(r, spec.id)[$0] ?? "" } }
            #expect(Set(keys).count == keys.count, "\(spec.id)")
        }
        #expect(all.values.joined().allSatisfy { $0.problem == nil })
    }

    @Test func rowsPointAtTheLineOfTheirElement() throws {
        let text = CINFixture.document(children: 3, layout: .sex)
        let all = tables(try drain(try reader(try file("lines.xml", text))))
        #expect(all["cin.child"]!.map(\.row) == CINFixture.lines(of: "<Child>", in: text))
        #expect(all["cin.referral"]!.map(\.row) == CINFixture.lines(of: "<CINdetails>", in: text))
        #expect(all["cin.assessment"]!.map(\.row) == CINFixture.lines(of: "<Assessments>", in: text))
        #expect(all["cin.assessment_factor"]!.map(\.row) == CINFixture.lines(of: "<AssessmentFactors>", in: text))
        #expect(all["cin.cpp_review"]!.map(\.row) == CINFixture.lines(of: "<CPPreviewDate>", in: text))
    }

    @Test func parentTablesComeFirstInEveryFlush() throws {
        let xml = try reader(try file("order.xml", CINFixture.document(children: 50, layout: .sex)))
        #expect(xml.specs.map(\.id).firstIndex(of: "cin.child")! < xml.specs.map(\.id).firstIndex(of: "cin.referral")!)
        // Small batches: rows are read a unit at a time until one table has a batch, then all flush, parents first.
        let batches = try drain(xml, size: 10)
        var seenChildren = Set<String>(), seenReferrals = Set<[String]>()
        for batch in batches {
            for record in batch.records {
                let c = cells(record, batch.table)
                switch batch.table {
                case "cin.child": seenChildren.insert(c["LAchildID"]!)
                case "cin.referral":
                    #expect(seenChildren.contains(c["LAchildID"]!))
                    seenReferrals.insert([c["LAchildID"]!, c["referral"]!])
                case "cin.assessment": #expect(seenReferrals.contains([c["LAchildID"]!, c["referral"]!]))
                default: break
                }
            }
            #expect(batch.records.count <= 10)
        }
        #expect(seenChildren.count == 50)
    }

    @Test func headerValuesAreReadBeforeTheFirstChild() throws {
        let xml = try reader(try file("header.xml", CINFixture.document(children: 3, layout: .sex)))
        let header = try xml.readHeader()
        #expect(header["LEA"] == "352")
        #expect(header["ReferenceDate"] == "2025-03-31")
        #expect(header["Collection"] == "CIN")
        #expect(header["Year"] == "2025")
        #expect(xml.documentValues["Header/Source/SoftwareCode"] == "Synthetic")
        #expect(xml.rowsRead == 0)
        #expect(tables(try drain(xml))["cin.child"]?.count == 3)
    }

    // MARK: The path vocabulary

    func spec(_ id: String, row: String, _ fields: [(String, String)]) -> InputSpec {
        var spec = InputSpec(id: id, collection: "test", title: id, fields: fields.map { name, xml in
            var field = FieldSpec(name: name, type: .string)
            field.xml = xml
            return field
        })
        spec.xml = XMLBinding(root: "Message", unit: "Message/Children/Child", row: row)
        return spec
    }

    @Test func pathsReachTheHeaderTheUnitAncestorsAndGeneratedKeys() throws {
        let text = CINFixture.document(children: 2, layout: .genderCurrent)
        let custom = spec("test.assessment", row: "Message/Children/Child/CINdetails/Assessments", [
            ("la", "//Header/Source/LEA"), ("child", "/ChildIdentifiers/LAchildID"), ("referral", "#ordinal(CINdetails)"),
            ("assessment", "#ordinal"), ("child_number", "#ordinal(Child)"), ("start", "AssessmentActualStartDate"),
            ("referral_date", "../CINreferralDate"), ("sex", "/ChildIdentifiers/Sex|/ChildIdentifiers/GenderCurrent"),
            ("fallback", "Nothing/Here|AssessmentActualStartDate"), ("factor", "FactorsIdentifiedAtAssessment/AssessmentFactors"),
        ])
        let xml = try reader(try file("paths.xml", text), specs: [custom])
        let rows = try drain(xml).flatMap(\.records)
        #expect(rows.count == 6)
        #expect(rows.map(\.cells) == [
            ["352", "C1", "1", "1", "1", "2024-05-02", "2024-05-01", "1", "2024-05-02", "1C"],
            ["352", "C1", "1", "2", "1", "2024-07-01", "2024-05-01", "1", "2024-07-01", "21"],
            ["352", "C1", "2", "1", "1", "2025-01-11", "2025-01-10", "1", "2025-01-11", nil],
            ["352", "C2", "1", "1", "2", "2024-05-02", "2024-05-01", "2", "2024-05-02", "1C"],
            ["352", "C2", "1", "2", "2", "2024-07-01", "2024-05-01", "2", "2024-07-01", "21"],
            ["352", "C2", "2", "1", "2", "2025-01-11", "2025-01-10", "2", "2025-01-11", nil],
        ])
        // Two factors where the row has room for one: the row says so (and is quarantined downstream), naming no value.
        #expect(rows[0].problem?.contains("factor") == true)
        #expect(rows[0].problem?.contains("1C") == false)
        #expect(rows[1].problem == nil)
    }

    /// Children are counted by name for the names the specs use; names no spec uses around them change no
    /// place (`#ordinal`): a few (`Local1`…`Local20` in each child), or more than the reader numbers one by
    /// one (`maxNames`: past it, further names share one number, the specs' names having been numbered first).
    @Test(arguments: [(20, "<Child>"), (10_050, "<CINdetails>")])
    func placesAndValuesAmongNamesNoSpecUses(names: Int, after tag: String) throws {
        let many = (1...names).map { "<Local\($0)>x</Local\($0)>" }.joined()
        let text = CINFixture.document(children: 2, layout: .genderCurrent)
            .replacingOccurrences(of: tag, with: tag + many)
        let custom = spec("test.assessment", row: "Message/Children/Child/CINdetails/Assessments", [
            ("child", "/ChildIdentifiers/LAchildID"), ("referral", "#ordinal(CINdetails)"), ("assessment", "#ordinal"),
            ("child_number", "#ordinal(Child)"),
        ])
        let rows = try drain(try reader(try file("many.xml", text), specs: [custom])).flatMap(\.records)
        #expect(rows.map(\.cells) == [
            ["C1", "1", "1", "1"], ["C1", "1", "2", "1"], ["C1", "2", "1", "1"],
            ["C2", "1", "1", "2"], ["C2", "1", "2", "2"], ["C2", "2", "1", "2"],
        ])
    }

    /// An element's value is its own text, whole: pieces split by a comment or CDATA section are
    /// joined, and so are pieces either side of a child element (mixed content), without the child's text.
    @Test func anElementsTextInPiecesIsJoinedWithoutItsChildrensText() throws {
        let text = CINFixture.header() + """
            <Child>
              <ChildIdentifiers>
                <LAchildID>A<!-- c -->B<![CDATA[&]]>C</LAchildID>
                <UPN> X<Note>not the UPN</Note>Y<Note>nor this</Note>Z </UPN>
                <Sex>U</Sex>
              </ChildIdentifiers>
              <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
              <CINdetails><CINreferralDate>2025-01-01</CINreferralDate><ReferralNFA>1</ReferralNFA></CINdetails>
            </Child>

        """ + CINFixture.footer
        let all = tables(try drain(try reader(try file("pieces.xml", text))))
        let child = cells(all["cin.child"]![0], "cin.child")
        #expect(child["LAchildID"] == "AB&C")
        #expect(child["UPN"] == "XYZ")
        #expect(child["Sex"] == "U")
    }

    @Test func valuesAreTrimmedWithEntitiesAndCDATAReadAndBlankAsNil() throws {
        let text = CINFixture.header() + """
            <Child>
              <ChildIdentifiers>
                <LAchildID>  A&amp;B  </LAchildID>
                <UPN>   </UPN>
                <FormerUPN><![CDATA[X<1>]]></FormerUPN>
                <!-- a comment with <Child> and <!DOCTYPE x> in it -->
                <Sex>U</Sex>
              </ChildIdentifiers>
              <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
              <PreProceedingsandFGDM><PPStartDate>2026-09-09</PPStartDate></PreProceedingsandFGDM>
              <CINdetails><CINreferralDate>2025-01-01</CINreferralDate><ReferralNFA>1</ReferralNFA></CINdetails>
            </Child>

        """ + CINFixture.footer
        let all = tables(try drain(try reader(try file("values.xml", text))))
        let child = cells(all["cin.child"]![0], "cin.child")
        #expect(child["LAchildID"] == "A&B")
        #expect(child["UPN"] == nil)
        #expect(child["FormerUPN"] == "X<1>")
        #expect(child["Sex"] == "U")
        #expect(all["cin.referral"]!.map(\.row) == CINFixture.lines(of: "<CINdetails>", in: text))
    }

    @Test func smallReadsSplitTagsCommentsAndCDATAAcrossChunksWithoutLosingLines() throws {
        let text = CINFixture.header() + """
            <Child><!-- x - y -> - --><ChildIdentifiers><LAchildID><![CDATA[]]]]></LAchildID><Sex>F</Sex></ChildIdentifiers>
              <?pi <Child> ?>
              <CINdetails
                ><CINreferralDate>2025-01-01</CINreferralDate><ReferralNFA>1</ReferralNFA></CINdetails>
            </Child>

        """ + CINFixture.footer
        for chunk in [1, 2, 3, 7, 64] {
            let xml = try XMLTableReader(source: MemorySource(text, chunk: chunk), specs: cinSpecs)
            let all = tables(try drain(xml))
            #expect(all["cin.child"]!.map(\.row) == CINFixture.lines(of: "<Child><!--", in: text), "chunk \(chunk)")
            #expect(cells(all["cin.child"]![0], "cin.child")["LAchildID"] == "]]", "chunk \(chunk)")
            #expect(all["cin.referral"]!.map(\.row) == CINFixture.lines(of: "<CINdetails", in: text), "chunk \(chunk)")
        }
    }

    @Test func aUTF16DocumentTranscodedToUTF8IsReadDespiteItsDeclaration() throws {
        // SourceOpener hands an XML reader UTF-16 as UTF-8 (after the byte-order mark), declaration unchanged.
        let text = CINFixture.document(children: 2, layout: .sex).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        var bytes: [UInt8] = []
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(XMLTableReader.declaresWideEncoding(Array(text.utf8.prefix(100))))
        let all = tables(try drain(try XMLTableReader(source: UTF16Source(MemorySource(bytes, chunk: 4096), bigEndian: false), specs: cinSpecs)))
        #expect(all["cin.child"]?.count == 2)
        #expect(all["cin.child"]!.map(\.row) == CINFixture.lines(of: "<Child>", in: text))
    }

    @Test func theSpecsBindingsAreWellFormed() throws {
        #expect(cinSpecs.count == 9)
        for spec in cinSpecs { #expect(spec.xml?.problems(in: spec) == [], "\(spec.id)") }
        let bad = spec("test.bad", row: "Message/Children/Child/CINdetails", [
            ("a", "../../X"), ("b", "#ordinal(Assessments)"), ("c", "A//B"), ("d", "#line"), ("e", "A|"),
        ])
        let problems = bad.xml!.problems(in: bad)
        #expect(problems.count == 5)
        #expect(throws: RCCError.self) { try XMLTableReader(source: MemorySource("<Message/>"), specs: [bad]) }
    }

    // MARK: Refusals and errors

    func expectRefusal(_ text: String, name: String, never secrets: [String]) throws {
        let path = try file(name, text)
        var outputs: [String] = []
        do {
            let xml = try reader(path)
            outputs.append("\(try xml.readHeader())")
            for batch in try drain(xml) { outputs.append("\(batch.records.map(\.cells))") }
            Issue.record("\(name) was read, not refused")
        } catch {
            let message = "\(error)"
            outputs.append(message)
            #expect(message.contains(path), "names the file: \(message)")
            #expect(message.contains("DOCTYPE") || message.contains("DTD"), "says why: \(message)")
        }
        for secret in secrets { #expect(!outputs.joined().contains(secret), "\(secret) leaked from \(name)") }
    }

    @Test func aBillionLaughsDocumentIsRefusedNotExpanded() throws {
        let text = """
        <?xml version="1.0"?>
        <!DOCTYPE Message [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <Message><Header><Source><LEA>&lol9;</LEA></Source></Header><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID></ChildIdentifiers></Child></Children></Message>

        """
        try expectRefusal(text, name: "laughs.xml", never: ["lollol"])
    }

    @Test func externalEntitiesAndDTDsAreNeverFetched() throws {
        let secret = folder.appendingPathComponent("secret.txt")
        try TestSupport.write("TOPSECRET-7f3a", to: secret)
        let listener = try LoopbackListener()
        let web = "http://127.0.0.1:\(listener.port)"
        try expectRefusal("""
        <?xml version="1.0"?>
        <!DOCTYPE Message [ <!ENTITY xxe SYSTEM "file://\(secret.path)"> <!ENTITY net SYSTEM "\(web)/entity"> ]>
        <Message><Header><Source><LEA>&xxe;&net;</LEA></Source></Header><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child></Children></Message>
        """, name: "xxe.xml", never: ["TOPSECRET"])
        try expectRefusal("""
        <?xml version="1.0"?>
        <!DOCTYPE Message SYSTEM "\(web)/evil.dtd">
        <Message><Children><Child><ChildIdentifiers><LAchildID>&evil;</LAchildID></ChildIdentifiers></Child></Children></Message>
        """, name: "dtd.xml", never: ["TOPSECRET"])
        try expectRefusal("""
        <!DOCTYPE Message SYSTEM "file://\(secret.path)"><Message><Children/></Message>
        """, name: "dtd-file.xml", never: ["TOPSECRET"])
        #expect(!listener.wasContacted, "the reader connected to the network")
    }

    @Test func anEntityReferenceWithoutADTDIsAnErrorNotAValue() throws {
        let text = CINFixture.header() + CINFixture.child(1, layout: .sex).replacingOccurrences(of: "<LAchildID>C1</LAchildID>", with: "<LAchildID>&xxe;</LAchildID>") + CINFixture.footer
        let path = try file("undefined-entity.xml", text)
        let line = CINFixture.lines(of: "&xxe;", in: text)[0]
        #expect { try drain(try reader(path)) } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("line \(line)")
        }
    }

    @Test func malformedXMLMidStreamNamesTheFileAndLineAndNoValue() throws {
        var text = CINFixture.header()
        for i in 1...5 { text += CINFixture.child(i, layout: .sex, id: i == 4 ? "SECRET-ID" : nil) }
        text = text.replacingOccurrences(of: "<LAchildID>SECRET-ID</LAchildID>", with: "<LAchildID>SECRET-ID</LAchildId>") + CINFixture.footer
        let path = try file("broken.xml", text)
        let line = CINFixture.lines(of: "SECRET-ID", in: text)[0]
        #expect(line > 200)
        var message = ""
        do {
            _ = try drain(try reader(path))
            Issue.record("malformed XML was read")
        } catch {
            message = "\(error)"
        }
        #expect(message.contains(path))
        #expect(message.contains("line \(line)"), "\(message)")
        #expect(message.contains("not well-formed"))
        #expect(!message.contains("SECRET"))
    }

    @Test func bytesThatAreNotUTF8AreAnErrorThatQuotesNoBytes() throws {
        var bytes = Array((CINFixture.header() + CINFixture.child(1, layout: .sex)).utf8)
        let marker = Array("<LAchildID>C1".utf8)
        let at = (0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker }! + marker.count
        bytes.insert(contentsOf: [0xFF, 0x5A, 0x6F, 0xEB], at: at)
        bytes += Array(CINFixture.footer.utf8)
        let url = folder.appendingPathComponent("latin.xml")
        try Data(bytes).write(to: url)
        #expect { try drain(try reader(url.path)) } throws: { error in
            "\(error)".contains(url.path) && !"\(error)".contains("0xFF") && !"\(error)".contains("Bytes")
        }
    }

    @Test func aDocumentOfAnotherKindIsRefusedByItsRoot() throws {
        let path = try file("other.xml", "<?xml version=\"1.0\"?>\n<Workforce><Worker/></Workforce>\n")
        #expect { try drain(try reader(path)) } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("<Workforce>")
        }
    }

    @Test func anEmptyDisabilityElementMakesNoRow() throws {
        let text = CINFixture.header() + """
            <Child><ChildIdentifiers><LAchildID>D1</LAchildID></ChildIdentifiers>
              <ChildCharacteristics><Disabilities><Disability /><Disability>HAND</Disability><Disability> </Disability></Disabilities></ChildCharacteristics></Child>
            """ + CINFixture.footer
        let xml = try reader(try file("empty-disability.xml", text))
        let rows = try drain(xml).filter { $0.table == "cin.disability" }.flatMap(\.records)
        #expect(rows.map(\.cells) == [["D1", "HAND"]])
        #expect(xml.emptyRowsByTable == ["cin.disability": 2])
    }

    @Test func aUnitTooLargeToHoldIsRefusedNotBuffered() throws {
        let many = String(repeating: "<Disability>MOB</Disability>", count: XMLTableReader.maxUnitElements)
        let text = CINFixture.header() + "<Child><ChildCharacteristics><Disabilities>\(many)</Disabilities></ChildCharacteristics></Child>" + CINFixture.footer
        let path = try file("huge-child.xml", text)
        #expect { try drain(try reader(path)) } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("refused, not buffered")
        }
    }

    // MARK: Streaming

    @Test func twentyThousandChildrenStreamWithLinesPastSixteenBits() throws {
        let url = folder.appendingPathComponent("big.xml")
        defer { try? FileManager.default.removeItem(at: url) }
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let header = CINFixture.header()
        try handle.write(contentsOf: Data(header.utf8))
        let children = 20_000
        var chunk = ""
        for i in 1...children {
            chunk += CINFixture.child(i, layout: .sex)
            if i % 500 == 0 { try handle.write(contentsOf: Data(chunk.utf8)); chunk = "" }
        }
        try handle.write(contentsOf: Data(CINFixture.footer.utf8))
        try handle.close()

        let xml = try reader(url.path)
        var counts: [String: Int] = [:]
        var lastChild: Record?
        while let batch = try xml.nextBatch(size: 4096) {
            #expect(batch.records.count <= 4096)
            counts[batch.spec.id, default: 0] += batch.records.count
            if batch.spec.id == "cin.child" { lastChild = batch.records.last }
        }
        #expect(xml.unitsRead == children)
        #expect(xml.rowsRead == children * CINFixture.rowsPerChild.values.reduce(0, +))
        for (table, perChild) in CINFixture.rowsPerChild { #expect(counts[table] == children * perChild, "\(table)") }
        let linesPerChild = CINFixture.child(1, layout: .sex).filter { $0 == "\n" }.count
        let headerLines = header.filter { $0 == "\n" }.count
        #expect(lastChild?.row == headerLines + (children - 1) * linesPerChild + 1)
        #expect(lastChild!.row > 65_535)
        #expect(cells(lastChild!, "cin.child")["LAchildID"] == "C\(children)")
    }
}
