extension SequenceRules {
    /// The rows of pairs that overlap, as the CIN validator finds them (4014, 8820, 8863Q, 8890, 8940): for
    /// rows a and b of the same group (all of them when `group` is nil), both with a start, a overlaps b
    /// when a starts on or after b starts and (b has an end) a starts on or before it (before it when
    /// `strict`), or (b has none) on or before the reference date (before, when `strict`) where `open(b)`
    /// says b counts as open. Both rows of a pair fail. `duplicates` leaves out pairs with the same start
    /// and end (both blank counts as the same), as 8863Q and 8890 do; `distinct` leaves out pairs with the
    /// same value there (8940's plan number); a row is never paired with itself.
    static func overlapping(_ rows: RuleRows, start: Int, end: Int, group: Int? = nil, strict: Bool = false,
                            reference: String, duplicates: Bool = false, distinct: Int? = nil,
                            open: (RuleRow) -> Bool = { _ in true }) -> [Int] {
        var failing: Set<Int> = []
        let dated = rows.indices.filter { rows[$0][start] != nil }
        for a in dated {
            for b in dated where b != a {
                if let group, rows[a][group] != rows[b][group] { continue }
                if let distinct, rows[a][distinct] == rows[b][distinct] { continue }
                if duplicates, rows[a][start] == rows[b][start], rows[a][end] == rows[b][end] { continue }
                let s = rows[a][start]!
                guard s >= rows[b][start]! else { continue }
                let overlaps: Bool
                if let e = rows[b][end] {
                    overlaps = strict ? s < e : s <= e
                } else {
                    overlaps = (strict ? s < reference : s <= reference) && open(rows[b])
                }
                if overlaps { failing.formUnion([a, b]) }
            }
        }
        return failing.sorted()
    }
}

extension SequenceRules {
    /// The rows that make a pair meeting `test` with some row of another table of the child (the validator's
    /// merge on the child, then a condition on each pair).
    static func paired(_ rows: RuleRows, with others: RuleRows, _ test: (RuleRow, RuleRow) -> Bool) -> [Int] {
        rows.indices.filter { i in others.contains { test(rows[i], $0) } }
    }
}
