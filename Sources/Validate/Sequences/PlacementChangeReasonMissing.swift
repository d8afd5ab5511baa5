/// DfE 225: an episode ceased X1 (new episode begins), not a temporary placement, followed by a change of
/// placement (the next starts P, B, T or U) that is not temporary either, gives the reason for the change.
struct PlacementChangeReasonMissing: SequenceRule {
    static let fields = ["DECOM", "REC", "REASON_PLACE_CHANGE", "PLACE", "RNE"]
    static let temporary: Set<String> = ["T0", "T1", "T2", "T3", "T4"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (current, next) in zip(order, order.dropFirst()) {
            let row = rows[current], after = rows[next]
            guard row[1] == "X1", row[2] == nil, !temporary.contains(row[3] ?? ""),
                  ["P", "B", "T", "U"].contains(after[4] ?? ""), !temporary.contains(after[3] ?? "") else { continue }
            failing.append(current)
        }
        return failing.sorted()
    }
}
