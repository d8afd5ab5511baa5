import Testing
@testable import Validate

/// The rows a sequence rule reads (`RuleRows`): lent by the engine where they lie (a chunk's flat cells,
/// each row's start, the rule's fields' positions in a row), or made from arrays by tests and tools.
@Suite struct RuleRowsTests {
    /// Lent rows read each row's cells from its own start, the rule's fields in the rule's order, whatever
    /// the order the rows lie in; nothing is read past the fields asked for.
    @Test func lentRowsReadTheirFieldsWhereTheyLie() {
        // Three rows of four cells, the child's two being the third and the first, in that order.
        let cells: [String?] = ["a0", "a1", nil, "a3",
                                "b0", "b1", "b2", "b3",
                                "c0", nil, "c2", "c3"]
        let starts = [8, 0]
        let positions = [3, 0, 2]
        cells.withUnsafeBufferPointer { cells in
            starts.withUnsafeBufferPointer { starts in
                positions.withUnsafeBufferPointer { positions in
                    let rows = RuleRows(cells: cells.baseAddress!, starts: starts.baseAddress!, count: 2,
                                        positions: positions.baseAddress!, width: 3)
                    #expect(rows.count == 2 && rows.width == 3)
                    #expect(rows.arrays == [["c3", "c0", "c2"], ["a3", "a0", nil]])
                    #expect(rows[1][2] == nil && rows[0][1] == "c0")
                    #expect(rows == [["c3", "c0", "c2"], ["a3", "a0", nil]])
                    #expect(rows.map { $0.count } == [3, 3])
                    #expect(rows.first?.first == "c3")
                }
            }
        }
    }

    /// Rows made from arrays own their cells (they read the same after the arrays are gone), a shorter row
    /// reads blank in the fields it lacks, and none at all is empty.
    @Test func rowsMadeFromArraysOwnTheirCells() {
        func made() -> RuleRows {
            var arrays: [[String?]] = [["x", "y", "z"], ["p"]]
            let rows = RuleRows(arrays)
            arrays[0][0] = "changed"
            arrays.removeAll()
            return rows
        }
        let rows = made()
        #expect(rows.arrays == [["x", "y", "z"], ["p", nil, nil]])
        let row = rows[0]
        #expect(Array(row) == ["x", "y", "z"])
        #expect(row == rows[0] && row != rows[1])
        #expect(Set([rows[0], rows[0], rows[1]]).count == 2)
        #expect(RuleRows().isEmpty && RuleRows([]).isEmpty && ([] as RuleRows).count == 0)
        #expect(RuleRows([[], []]).map(\.count) == [0, 0])
    }
}
