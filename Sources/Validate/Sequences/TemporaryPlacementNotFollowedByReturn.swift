import RCCCore

/// DfE 383: after a temporary placement (`temporary`: T0-T4) the child returns (`returned`: reason P) to the placement and postcode of the episode before it.
struct TemporaryPlacementNotFollowedByReturn: SequenceRule {
    static let fields = ["DECOM", "PLACE", "RNE", "PL_POST"]
    static let parameters: [String: RuleParameter.Kind] = ["temporary": .codes, "returned": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        guard order.count >= 3 else { return [] }
        let temporary = run.codes("temporary"), returned = run.codes("returned")
        var failing: [Int] = []
        for k in 2..<order.count {
            let (before, temporaryEpisode, current) = (order[k - 2], order[k - 1], order[k])
            guard let place = rows[temporaryEpisode][1], temporary.contains(place) else { continue }
            // As the validator compares: a blank is never the same as anything, itself included.
            func same(_ field: Int) -> Bool { rows[current][field] != nil && rows[current][field] == rows[before][field] }
            if !returned.contains(rows[current][2] ?? "") || !same(1) || !same(3) { failing.append(current) }
        }
        return failing.sorted()
    }
}
