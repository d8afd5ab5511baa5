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

    /// Mapping may run apart from the context: the values read through it first (`lookedUp`) give the
    /// same rows, and a child's id repeated on consecutive rows (its pseudonym kept from the row before)
    /// gets the pseudonym it gets alone, whatever comes between.
    @Test func mappingApartFromTheContextGivesTheSameRows() throws {
        let ctx = ReturnContext(key: key, retainedFields: RegionalMapper.lookupFields(catalog))
        let header = try #require(catalog.input("ssda903.header"))
        for (child, dob) in [("C1", "2010-03-14"), ("C2", "2012-11-30")] {
            ctx.registerLoaded(table: "ssda903.header", key: [child],
                               record: Record(row: 2, cells: [child, "F", dob, "WBRI", "UN1", nil, nil, nil]), spec: header)
        }
        let m = try mapper("ssda903.episodes")
        let records = ["C1", "C1", "C2", "C1", nil, "C9", "C2"].enumerated().map { i, child in
            Record(row: i + 2, cells: [child, "2024-03-13", "S", "C2", "N1", "U1", "PR1", "2025-03-14", "X1",
                                       nil, "M1 1AE", "SW1A 2AA", nil])
        }
        let lookedUp = m.lookedUp(records, context: ctx)
        #expect(lookedUp.count == records.count * 1)   // one field of Header read: the DOB
        let apart = m.map(records, lookedUp: lookedUp)
        #expect(apart.rows == m.map(records, context: ctx).rows)
        let column = try #require(m.childColumn)
        for (i, record) in records.enumerated() {
            let expected: SQLValue = record.cells[0].map { .text(pseudonymiser.pseudonym($0, namespace: .laChild, la: "352")) } ?? .null
            #expect(apart.rows[i][column] == expected)
            #expect(m.childPseudonym(record, row: i, lookedUp: lookedUp) == m.childPseudonym(record, context: ctx))
        }
        #expect(value(apart.rows[2], m.table, "age_at_decom") == .integer(11))
        #expect(value(apart.rows[5], m.table, "age_at_decom") == .null)   // C9 has no Header row
    }
}
