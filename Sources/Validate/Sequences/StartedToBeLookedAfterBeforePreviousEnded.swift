import RCCCore

/// DfE 431: an episode started to be looked after (`started`: RNE S) begins on or before the day the previous episode ended.
struct StartedToBeLookedAfterBeforePreviousEnded: SequenceRule {
    static let fields = ["DECOM", "DEC", "RNE"]
    static let parameters: [String: RuleParameter.Kind] = ["started": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let startedCare = run.codes("started")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard startedCare.contains(rows[current][2] ?? ""), let started = rows[current][0], let ended = rows[previous][1],
                  started <= ended else { return nil }
            return current
        }.sorted()
    }
}
