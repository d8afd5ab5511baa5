import Foundation
import RCCTestSupport
import Testing

/// A whole synthetic SSDA903 return for 2025-26, clean but for a handful of planted faults, through
/// `rcc ingest`: the findings and quarantine reasons per rule are exactly the planted ones, so every
/// other rule stays quiet on good data, and each planted fault is caught once, where it was planted.
@Suite struct WholeReturnRulesTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    static let files: [String: String] = [
        // C1-C3 are clean (each placement has its Ofsted URN: 218). C4 is three and placed in a school (373).
        // C5's first episode ends without a reason (148) and its second ends before it began (356,
        // quarantined). C9 has no Header row (INT03). C5 and C6 have the same UPN (444, on both Header rows).
        // C6's episodes, out of order in the file, overlap: the later one starts before the first ended (501),
        // so it does not start on the day the first ended (433), which the first's X1 promised (388); the first
        // gives its reason for the change of placement (225).
        "header.csv": """
            CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
            C1,M,14/03/2012,WBRI,L352200024123,,
            C2,F,02/07/2009,AIND,UN2,0,
            C3,M,20/10/2015,BAFR,UN3,,
            C4,F,01/01/2022,WBRI,UN2,0,
            C5,M,05/05/2010,WBRI,A352200024124,,
            C6,F,09/09/2011,WBRI,A352200024124,0,

            """,
        "episodes.csv": """
            CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
            C1,01/05/2024,S,C2,N1,U1,PR1,,,,M1 1AE,M14 5RT,SC100001
            C2,10/06/2025,S,V2,N2,U4,PR1,,,,M8 2XY,OL6 7QR,SC100001
            C3,03/09/2025,S,C2,N4,U3,PR1,,,,M4 4AA,M5 5BB,SC100001
            C4,01/06/2025,S,C2,N1,S1,PR1,,,,M4 4AA,M5 5BB,SC100001
            C5,01/06/2025,S,C2,N1,U1,PR1,01/08/2025,,,M4 4AA,M5 5BB,SC100001
            C5,01/09/2025,S,C2,N1,U1,PR1,01/08/2025,E13,,M4 4AA,M5 5BB,SC100001
            C9,01/06/2025,S,C2,N1,U1,PR1,,,,M4 4AA,M5 5BB,SC100001
            C6,01/07/2025,P,C2,N1,U1,PR1,,,,M4 4AA,M5 5BB,SC100002
            C6,01/06/2025,S,C2,N1,U1,PR1,10/07/2025,X1,CARPL,M4 4AA,M5 5BB,SC100001

            """,
        // C3's adoption gives a DOB a day off its Header's (INT11), and a single adopter's legal status (L0)
        // with two adopters (514), though it was not adopted this year (602); its adoption was decided after it
        // came into care (334). C4, a girl, has MOTHER given (393).
        "ad1.csv": """
            CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR
            C3,21/10/2015,10/09/2025,01/10/2025,0,2,MF,L0

            """,
        // C1, looked after since May 2024 (so its OC2 row is due: 185, 190, 191; no health check at 14: 546),
        // has no substance misuse problem (0) yet received an intervention (193).
        "oc2.csv": """
            CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED
            C1,14/03/2012,12,,0,,1,1,1,0,1,

            """,
        // Each child who came into care this year says how it was before (630): none of the permanence options.
        "prev_perm.csv": """
            CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM
            C2,02/07/2009,Z1,,
            C3,20/10/2015,Z1,,
            C4,01/01/2022,Z1,,
            C5,05/05/2010,Z1,,
            C6,09/09/2011,Z1,,

            """,
        // C2 went missing after the year ended (570).
        "missing.csv": """
            CHILD,DOB,MISSING,MIS_START,MIS_END
            C2,02/07/2009,M,02/04/2026,

            """,
    ]

    @Test(arguments: TestWarehouses.engines)
    func findingsPerRuleAreExactlyThePlantedOnes(engine: TestWarehouses.Engine) throws {
        let folder = try TestSupport.temporaryFolder("rcc-whole-return")
        for (name, text) in Self.files { try TestSupport.write(text, to: folder.appendingPathComponent("in/350/2026/\(name)")) }
        let key = folder.appendingPathComponent("k").path
        #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        let result = try TestSupport.run(Self.rcc, ["ingest", "--quiet", "--warehouse", warehouse, "--key-file", key,
                                                    "--schemas", TestSupport.schemas, folder.appendingPathComponent("in").path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        func counts(_ table: String) throws -> [String: Int] {
            let rows = try TestWarehouses.sql(warehouse, "SELECT rule_id, COUNT(*) FROM \(table) GROUP BY rule_id ORDER BY rule_id")
            return Dictionary(uniqueKeysWithValues: rows.split(separator: "\n").map { line in
                let parts = line.split(separator: "|")
                return (String(parts[0]), Int(parts[1])!)
            })
        }
        #expect(try counts("findings") == [
            "ssda903.ad1.DOB.same-as-header": 1,                                    // INT11
            "ssda903.ad1.SEX_ADOPTR.single-when-L0": 1,                             // 514
            "ssda903.ad1.without-adoption": 1,                                      // 602
            "ssda903.episodes.REC.required-with-DEC": 1,                            // 148
            "ssda903.episodes.school-age": 1,                                       // 373
            "ssda903.episodes.started-before-previous-ended": 1,                    // 501
            "ssda903.episodes.continuation-not-on-previous-end": 1,                 // 433
            "ssda903.episodes.X1-without-continuation": 1,                          // 388
            "ssda903.header.UPN.duplicate": 2,                                      // 444
            "ssda903.missing.MIS_START.not-after-year": 1,                          // 570
            "ssda903.oc2.INTERVENTION_RECEIVED.blank-unless-SUBSTANCE_MISUSE": 1,   // 193
        ])
        #expect(try counts("quarantine") == [
            "ssda903.episodes.CHILD.in-header": 1,                                  // INT03
            "ssda903.episodes.DEC.after-DECOM": 1,                                  // 356
        ])
        // Each finding points at the row it was planted in.
        #expect(try TestWarehouses.sql(warehouse, "SELECT row_number, field FROM findings WHERE rule_id = 'ssda903.episodes.school-age'") == "5|DECOM")
        #expect(try TestWarehouses.sql(warehouse, "SELECT row_number, field FROM findings WHERE rule_id = 'ssda903.episodes.started-before-previous-ended'") == "9|DECOM")
        #expect(try TestWarehouses.sql(warehouse, "SELECT COUNT(*) FROM findings WHERE rule_id = 'ssda903.episodes.started-before-previous-ended' AND child IS NOT NULL") == "1")
    }
}
