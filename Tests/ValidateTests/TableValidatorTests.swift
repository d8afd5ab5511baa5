import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

/// Validation of SSDA903 rows against the specs and rules in `schemas/`.
@Suite struct TableValidatorTests {
    let catalog = TestSupport.catalog
    let header: InputSpec
    let episodes: InputSpec

    init() throws {
        header = try #require(TestSupport.catalog.input("ssda903.header"))
        episodes = try #require(TestSupport.catalog.input("ssda903.episodes"))
    }

    func context(_ year: Int = 2025) -> ReturnContext {
        ReturnContext(key: ReturnKey(la: "352", collection: "ssda903", year: year))
    }

    func headerRow(_ row: Int, child: String = "C1", sex: String? = "M", dob: String? = "14/03/2012",
                   ethnic: String? = "WBRI", upn: String? = "L352200024123") -> Record {
        Record(row: row, cells: [child, sex, dob, ethnic, upn, nil, nil, nil])   // MOTHER, MC_DOB, UASC
    }

    func episodeRow(_ row: Int, child: String = "C1", decom: String? = "01/05/2024", place: String? = "U1",
                    dec: String? = nil, rec: String? = nil, home: String? = "M1 1AE") -> Record {
        Record(row: row, cells: [child, decom, "S", "C2", "N1", place, "PR1", dec, rec, nil, home, "M14 5RT", "SC123456"])
    }

    @Test func aValidRowLoadsInCanonicalForm() throws {
        let validator = try TableValidator(spec: header, catalog: catalog, year: 2025)
        let result = validator.validate([headerRow(2, sex: "m", ethnic: "wbri", upn: "l352200024123")], source: "h.csv", context: context())
        #expect(result.quarantined.isEmpty)
        #expect(result.valid.first?.cells == ["C1", "M", "2012-03-14", "WBRI", "L352200024123", nil, nil, nil])
    }

    @Test func badValuesAreQuarantinedWithFileRowFieldAndRuleButNoValue() throws {
        let validator = try TableValidator(spec: header, catalog: catalog, year: 2025)
        let rows = [headerRow(2, dob: "31/02/2012"), headerRow(3, child: "C2", sex: "X"),
                    headerRow(4, child: "C3", upn: "L352200024124"), headerRow(5, child: "C4", ethnic: nil)]
        let result = validator.validate(rows, source: "la.zip!/header.csv", context: context())
        #expect(result.valid.isEmpty)
        let found = result.quarantined.map { ($0.record.row, $0.diagnostics.map(\.ruleID), $0.diagnostics.map { $0.location.field }) }
        #expect(found.map(\.0) == [2, 3, 4, 5])
        #expect(found.map(\.1) == [["ssda903.header.DOB.date"], ["ssda903.header.SEX.code"],
                                   ["ssda903.header.UPN.upn"], ["ssda903.header.ETHNIC.required"]])
        #expect(found.map(\.2) == [["DOB"], ["SEX"], ["UPN"], ["ETHNIC"]])
        let diagnostics = result.quarantined.flatMap(\.diagnostics)
        #expect(diagnostics.allSatisfy { $0.location.source == "la.zip!/header.csv" })
        #expect(diagnostics.map(\.dfeCode) == ["dfe.ssda903.102", "dfe.ssda903.101", "dfe.ssda903.168", "dfe.ssda903.103"])
        for d in diagnostics {
            for value in ["31/02/2012", "X", "L352200024124", "C1", "C2", "C3", "C4"] {
                #expect(!d.message.split(separator: " ").contains(Substring(value)), "message \(d.message) carries a value")
            }
        }
    }

    @Test func codesAreCheckedForTheReturnsYear() throws {
        let rows = [episodeRow(2, place: "H5")]
        let header2025 = context(2025), header2026 = context(2026)
        for ctx in [header2025, header2026] {
            ctx.registerLoaded(table: "ssda903.header", key: ["C1"], record: headerRow(2), spec: header)
        }
        let in2025 = try TableValidator(spec: episodes, catalog: catalog, year: 2025).validate(rows, source: "e", context: header2025)
        let in2026 = try TableValidator(spec: episodes, catalog: catalog, year: 2026).validate(rows, source: "e", context: header2026)
        #expect(in2025.valid.count == 1)
        #expect(in2026.quarantined.first?.diagnostics.first?.ruleID == "ssda903.episodes.PLACE.code")
    }

    @Test func crossTableAndRowRules() throws {
        let ctx = context()
        let headerResult = try TableValidator(spec: header, catalog: catalog, year: 2025)
            .validate([headerRow(2), headerRow(3, child: "C1")], source: "h", context: ctx)
        #expect(headerResult.valid.count == 1)
        #expect(headerResult.quarantined.first?.diagnostics.first?.ruleID == "ssda903.header.CHILD.unique")

        let rows = [
            episodeRow(2),
            episodeRow(3, child: "NOPE"),
            episodeRow(4, decom: "01/06/2024", dec: "01/05/2024", rec: "X1"),
            episodeRow(5, decom: "01/05/2024"),
            episodeRow(6, decom: "01/07/2024", rec: "E8"),
            episodeRow(7, decom: "01/08/2024", home: "OL6 XYZ"),
        ]
        let result = try TableValidator(spec: episodes, catalog: catalog, year: 2025).validate(rows, source: "e", context: ctx)
        #expect(result.quarantined.map(\.record.row) == [3, 4, 5])
        #expect(result.quarantined.map { $0.diagnostics.map(\.ruleID) } == [
            ["ssda903.episodes.CHILD.in-header"], ["ssda903.episodes.DEC.after-DECOM"], ["ssda903.episodes.CHILD-DECOM.unique"],
        ])
        // Loaded with findings: REC without DEC, and a postcode that is no postcode (blanked, never loaded raw).
        #expect(result.valid.map(\.row) == [2, 6, 7])
        #expect(result.findings.map(\.diagnostic.ruleID) == ["ssda903.episodes.DEC.required-with-REC", "ssda903.episodes.HOME_POST.postcode"])
        #expect(result.findings.map(\.index) == [1, 2])
        #expect(result.valid[2].cells[10] == nil)
    }

    @Test func aMisshapenRowIsQuarantinedWithTheReaderReason() throws {
        let record = Record(row: 9, cells: Array(repeating: nil, count: 7), problem: "the row has 3 fields where the header has 7")
        let result = try TableValidator(spec: header, catalog: catalog, year: 2025).validate([record], source: "h", context: context())
        #expect(result.quarantined.first?.diagnostics.first?.ruleID == TableValidator.rowShapeRule)
        #expect(result.quarantined.first?.diagnostics.first?.message.contains("3 fields") == true)
    }

    @Test func rulesKnowTheYearsTheyAreInForce() throws {
        // TableValidator compiles only the rules in force in the return's year.
        var rule = try #require(catalog.rules.first { $0.id == "ssda903.episodes.DEC.after-DECOM" })
        rule.years = YearRange(from: 2027, to: nil)
        #expect(!rule.isInForce(in: 2025))
        #expect(rule.isInForce(in: 2027))
    }
}

extension TableValidatorTests {
    @Test func excelNumberFormIsRepairedAndCounted() throws {
        let validator = try TableValidator(spec: header, catalog: catalog, year: 2025)
        let result = validator.validate([headerRow(2, child: "100234.0"), headerRow(3, child: "1.5"), headerRow(4, child: "A1.0")],
                                        source: "h", context: context())
        #expect(result.valid.map { $0.cells[0] } == ["100234", "1.5", "A1.0"])
        #expect(result.excelRepairs == ["CHILD": 1])
        #expect(result.dateFormats == ["DOB": ["dd/mm/yyyy": 3]])
    }

    @Test func dateOrderIsCountedWhereAColumnCouldBeMonthFirst() throws {
        let validator = try TableValidator(spec: header, catalog: catalog, year: 2025)
        let rows = [
            headerRow(2, child: "A", dob: "14/03/2012"),   // day first only
            headerRow(3, child: "B", dob: "03/04/2012"),   // either way: read 3 April, ambiguous
            headerRow(4, child: "C", dob: "05/05/2012"),   // the same either way
            headerRow(5, child: "D", dob: "04/25/2012"),   // month first only: quarantined, counted
            headerRow(6, child: "E", dob: "2012-04-03"),   // ISO: never ambiguous
            headerRow(7, child: "F", dob: "31/31/2012"),   // no date at all
        ]
        let result = validator.validate(rows, source: "h", context: context())
        #expect(result.valid.map { $0.cells[0] } == ["A", "B", "C", "E"])
        #expect(result.valid[1].cells[2] == "2012-04-03")
        #expect(result.ambiguousDates == ["DOB": 1])
        #expect(result.monthFirstDates == ["DOB": 1])
        let messages = result.quarantined.map { $0.diagnostics[0].message }
        #expect(messages[0].contains("reads only month first"))
        #expect(!messages[1].contains("month first"))
        #expect(!messages.joined().contains("04/25/2012") && !messages.joined().contains("31/31"), "no value in a message")
    }
}
