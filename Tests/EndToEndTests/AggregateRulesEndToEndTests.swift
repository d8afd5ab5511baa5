import Foundation
import RCCTestSupport
import Testing

/// The rules about a whole CIN return (`kind: aggregate`, schemas/rules/cin-dfe-aggregates.yaml) through
/// `rcc ingest` on every engine, and through the stages: each failing rule lands once in `findings`
/// with no row and no child, the return loads, and the ledger's findings count them.
@Suite struct AggregateRulesEndToEndTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    /// LA 350's census of 2025-26 with a reference date a day early (100), a protection plan and no
    /// conference (2883), one child of three with sex unknown (2886Q), two disability codes (2887Q); C1
    /// has both of them, so 2888Q stays quiet.
    static let census = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Message>
          <Header>
            <CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-30</ReferenceDate></CollectionDetails>
            <Source><SourceLevel>L</SourceLevel><LEA>350</LEA><SoftwareCode>X</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo><DateTime>2026-04-30T10:00:00</DateTime></Source>
          </Header>
          <Children>
            <Child>
              <ChildIdentifiers><LAchildID>C1</LAchildID><PersonBirthDate>2015-06-14</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
              <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>MOB</Disability><Disability>HAND</Disability></Disabilities></ChildCharacteristics>
              <CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
                <ChildProtectionPlans><CPPstartDate>2025-06-02</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
              </CINdetails>
            </Child>
            <Child>
              <ChildIdentifiers><LAchildID>C2</LAchildID><PersonBirthDate>2012-01-20</PersonBirthDate><Sex>U</Sex></ChildIdentifiers>
              <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
              <CINdetails><CINreferralDate>2025-07-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails>
            </Child>
            <Child>
              <ChildIdentifiers><LAchildID>C3</LAchildID><PersonBirthDate>2010-02-11</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
              <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
              <CINdetails><CINreferralDate>2025-08-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails>
            </Child>
          </Children>
        </Message>
        """

    static let expected = [
        "cin.return.Disability.fewer-than-8-codes|1|1||dfe.cin.2887Q|query",
        "cin.return.ReferenceDate.collection-end|1|1||dfe.cin.100|error",
        "cin.return.Sex.not-recorded|1|1||dfe.cin.2886Q|query",
        "cin.return.protection-plans-without-conferences|1|1||dfe.cin.2883|error",
    ].joined(separator: "\n")

    static let query = """
        SELECT rule_id, CASE WHEN row_number IS NULL THEN 1 ELSE 0 END, CASE WHEN child IS NULL THEN 1 ELSE 0 END,
          source, dfe_code, severity FROM findings WHERE rule_id LIKE 'cin.return.%'
        """

    /// The whole-return findings, one line each, in rule id order (sorted here: engines collate apart).
    static func wholeReturn(_ warehouse: String) throws -> String {
        try TestWarehouses.sql(warehouse, query).split(separator: "\n").sorted().joined(separator: "\n")
    }

    func setUp() throws -> (folder: URL, key: String) {
        let folder = try TestSupport.temporaryFolder("rcc-aggregate")
        try TestSupport.write(Self.census, to: folder.appendingPathComponent("in/350/2026/census.xml"))
        let key = folder.appendingPathComponent("k").path
        #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        return (folder, key)
    }

    @Test(arguments: TestWarehouses.engines)
    func wholeReturnFindingsLandWithNoRowNorChild(engine: TestWarehouses.Engine) throws {
        let (folder, key) = try setUp()
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        let result = try TestSupport.run(Self.rcc, ["ingest", "--quiet", "--warehouse", warehouse, "--key-file", key,
                                                    "--schemas", TestSupport.schemas, folder.appendingPathComponent("in").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try Self.wholeReturn(warehouse) == Self.expected)
        // The ledger counts them with the return's other findings.
        let findings = try TestWarehouses.sql(warehouse, "SELECT COUNT(*) FROM findings")
        #expect(try TestWarehouses.sql(warehouse, "SELECT findings FROM loads WHERE status = 'current'") == findings)
    }

    @Test func theStagesMakeTheSameFindings() throws {
        let (folder, key) = try setUp()
        let work = folder.appendingPathComponent("work").path
        let warehouse = folder.appendingPathComponent("w.sqlite").path
        func stage(_ arguments: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.run(Self.rcc, arguments + ["--schemas", TestSupport.schemas])
        }
        #expect(try stage(["extract", "--work", work, folder.appendingPathComponent("in").path]).status == 0)
        #expect(try stage(["validate", "--work", work]).status == 0)
        #expect(try stage(["transform", "--work", work, "--key-file", key]).status == 0)
        let load = try stage(["load", "--work", work, "--warehouse", warehouse])
        #expect(load.status == 0, "\(load.stdout)\(load.stderr)")
        #expect(try Self.wholeReturn(warehouse) == Self.expected)
    }
}
