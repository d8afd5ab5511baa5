import RCCCore

/// DfE 226 (the part that needs the previous episode): a temporary placement (`temporary`: T0-T4) whose previous episode, in order of start, has a reason for placement change.
struct TemporaryPlacementAfterPlacementChangeReason: SequenceRule {
    static let fields = ["DECOM", "PLACE", "REASON_PLACE_CHANGE"]
    static let parameters: [String: RuleParameter.Kind] = ["temporary": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let temporary = run.codes("temporary")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard let place = rows[current][1], temporary.contains(place), rows[previous][2] != nil else { return nil }
            return current
        }.sorted()
    }
}
