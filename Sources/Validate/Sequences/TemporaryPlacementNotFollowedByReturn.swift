/// DfE 383: after a temporary placement the child returns (reason P) to the placement and postcode of the episode before it.
struct TemporaryPlacementNotFollowedByReturn: SequenceRule {
    static let fields = ["DECOM", "PLACE", "RNE", "PL_POST"]
    static let temporary: Set<String> = ["T0", "T1", "T2", "T3", "T4"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        guard order.count >= 3 else { return [] }
        var failing: [Int] = []
        for k in 2..<order.count {
            let (before, temporaryEpisode, current) = (order[k - 2], order[k - 1], order[k])
            guard let place = rows[temporaryEpisode][1], temporary.contains(place) else { continue }
            // As the validator compares: a blank is never the same as anything, itself included.
            func same(_ field: Int) -> Bool { rows[current][field] != nil && rows[current][field] == rows[before][field] }
            if rows[current][2] != "P" || !same(1) || !same(3) { failing.append(current) }
        }
        return failing.sorted()
    }
}
