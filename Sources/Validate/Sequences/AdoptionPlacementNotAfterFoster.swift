/// DfE 336: a placement for adoption with consent (A3, A4) follows a foster placement (U1-U6) or another
/// placement for adoption (A3-A6), unless it is the child's first episode.
struct AdoptionPlacementNotAfterFoster: SequenceRule {
    static let fields = ["DECOM", "PLACE"]
    static let before: Set<String> = ["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst())
        where ["A3", "A4"].contains(rows[current][1] ?? "") && !before.contains(rows[previous][1] ?? "") {
            failing.append(current)
        }
        return failing.sorted()
    }
}
