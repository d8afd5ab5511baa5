import RCCCore
import Testing

/// Last year's return as the previous-year rules read it.
@Suite struct PreviousReturnTests {
    /// Every row of a child comes back with its fields in place, whatever a cell holds: a value carrying
    /// the characters that separate the stored rows and cells does not shift the rest.
    @Test func everyRowOfAChildKeepsItsShape() {
        let previous = PreviousReturn(key: ReturnKey(la: "350", collection: "ssda903", year: 2025),
                                      fields: ["ssda903.episodes": ["DECOM", "PLACE", "DEC"]],
                                      orderedBy: ["ssda903.episodes": "DECOM"], spillFolder: nil,
                                      everyRow: ["ssda903.episodes"])
        let rows: [[String: String]] = [["DECOM": "2024-05-01", "PLACE": "U1\u{1F}X\u{1E}Y", "DEC": "2024-06-01"],
                                        ["DECOM": "2024-06-01", "PLACE": "U3"]]
        for row in rows { previous.add(table: "ssda903.episodes", child: "C1", values: { row[$0] }) }
        let kept = previous.rows(table: "ssda903.episodes", child: "C1")
        #expect(kept.count == 2)
        #expect(kept.allSatisfy { $0.count == 3 })
        #expect(kept.last == ["2024-06-01", "U3", nil])
        #expect(kept.first?[2] == "2024-06-01")
        #expect(previous.row(table: "ssda903.episodes", child: "C1") == ["2024-06-01", "U3", nil])
    }
}
