import RCCCore

/// DfE 432: the episode after one that ceased the child's care (`ceased`: an E reason) has a reason for new
/// episode of starting to be looked after (`started`: S).
struct NotStartedAfterCeasingToBeLookedAfter: SequenceRule {
    static let fields = ["DECOM", "REC", "RNE"]
    static let parameters: [String: RuleParameter.Kind] = ["ceased": .codes, "started": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let ceased = run.codes("ceased"), started = run.codes("started")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard let reason = rows[previous][1], ceased.contains(reason), !started.contains(rows[current][2] ?? "") else { return nil }
            return current
        }.sorted()
    }
}
