import RCCCore

/// DfE 388: an episode ceased `continuation` (X1: new episode begins) is followed by one starting that day, and only such an episode is ceased so.
struct ContinuationReasonWithoutContinuation: SequenceRule {
    static let fields = ["DECOM", "DEC", "REC"]
    static let parameters: [String: RuleParameter.Kind] = ["continuation": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let continuation = run.codes("continuation")
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (k, current) in order.enumerated() {
            guard let ended = rows[current][1], let reason = rows[current][2] else { continue }
            if k + 1 < order.count {
                guard let next = rows[order[k + 1]][0] else { continue }
                // X1 but the next starts another day; another reason but the next starts that day.
                if continuation.contains(reason) != (next == ended) { failing.append(current) }
            } else if continuation.contains(reason) {
                failing.append(current)  // the latest episode ended X1 with nothing after it
            }
        }
        return failing.sorted()
    }
}
