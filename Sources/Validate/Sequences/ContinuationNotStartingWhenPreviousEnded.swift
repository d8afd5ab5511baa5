import RCCCore

/// DfE 433: an episode whose reason for new episode continues care (`continuing`: P, L, T, U, B) starts the day the previous one ended.
struct ContinuationNotStartingWhenPreviousEnded: SequenceRule {
    static let fields = ["DECOM", "DEC", "RNE"]
    static let parameters: [String: RuleParameter.Kind] = ["continuing": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let continuing = run.codes("continuing")
        let order = SequenceRules.ordered(rows, by: [0, 1])   // by start, then end, as the validator sorts
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard let reason = rows[current][2], continuing.contains(reason) else { return nil }
            if let started = rows[current][0], let ended = rows[previous][1], started == ended { return nil }
            return current
        }.sorted()
    }
}
