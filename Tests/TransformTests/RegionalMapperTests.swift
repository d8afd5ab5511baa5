import RCCCore
import RCCTestSupport
import Testing
@testable import Transform

@Suite struct RegionalMapperTests {
    let catalog = TestSupport.catalog
    let key = ReturnKey(la: "352", collection: "ssda903", year: 2025)
    let pseudonymiser = Pseudonymiser(key: try! PseudonymKey(bytes: Array(repeating: 7, count: 32)))

    func mapper(_ source: String) throws -> RegionalMapper {
        let mapping = try #require(catalog.mappings(from: source).first)
        return try RegionalMapper(mapping: mapping, catalog: catalog, returnKey: key, pseudonymiser: pseudonymiser)
    }

    func value(_ row: [SQLValue], _ table: RegionalTable, _ column: String) -> SQLValue {
        row[table.columns.firstIndex { $0.name == column }!]
    }

    @Test func childrenArePseudonymisedAndCoarsened() throws {
        let m = try mapper("ssda903.header")
        let ctx = ReturnContext(key: key)
        let batch = m.map([
            Record(row: 2, cells: ["C1", "F", "2010-03-14", "WBRI", "L352200024123", "1", "2026-07-19", nil]),
            Record(row: 3, cells: ["C2", "M", "2012-11-30", "AIND", "UN4", nil, nil, nil]),
        ], context: ctx)
        let t = m.table
        let first = batch.rows[0], second = batch.rows[1]
        #expect(value(first, t, "la") == .text("352"))
        #expect(value(first, t, "collection_year") == .integer(2025))
        #expect(value(first, t, "child") == .text(pseudonymiser.pseudonym("C1", namespace: .laChild, la: "352")))
        #expect(value(first, t, "upn") == .text(pseudonymiser.pseudonym("L352200024123", namespace: .upn, la: "352")))
        #expect(value(first, t, "upn_unknown_reason") == .null)
        #expect(value(first, t, "dob_month") == .text("2010-03-01"))
        #expect(value(first, t, "mc_dob_month") == .text("2026-07-01"))
        #expect(value(second, t, "upn") == .null)
        #expect(value(second, t, "upn_unknown_reason") == .text("UN4"))
    }

    @Test func episodesGetSectorsAndAgesFromTheFullDateOfBirth() throws {
        let ctx = ReturnContext(key: key, retainedFields: RegionalMapper.lookupFields(catalog))
        let header = try #require(catalog.input("ssda903.header"))
        ctx.registerLoaded(table: "ssda903.header", key: ["C1"],
                           record: Record(row: 2, cells: ["C1", "F", "2010-03-14", "WBRI", "UN1", nil, nil, nil]), spec: header)
        let m = try mapper("ssda903.episodes")
        let row = m.map([Record(row: 2, cells: ["C1", "2024-03-13", "S", "C2", "N1", "U1", "PR1", "2025-03-14", "X1",
                                                nil, "M1 1AE", "SW1A 2AA", nil])], context: ctx).rows[0]
        let t = m.table
        #expect(value(row, t, "home_post_sector") == .text("M1 1"))
        #expect(value(row, t, "pl_post_sector") == .text("SW1A 2"))
        #expect(value(row, t, "age_at_decom") == .integer(13))
        #expect(value(row, t, "age_at_dec") == .integer(15))
        #expect(value(row, t, "decom") == .text("2024-03-13"))
        #expect(value(row, t, "urn") == .null)
    }
}
