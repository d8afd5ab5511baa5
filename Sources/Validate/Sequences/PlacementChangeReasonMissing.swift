import RCCCore

/// DfE 225: an episode ceased `continuation` (X1: new episode begins), not a `temporary` placement (T0-T4),
/// followed by a change of placement (the next starts for a reason of `changes`: P, B, T or U) that is not
/// temporary either, gives the reason for the change.
struct PlacementChangeReasonMissing: SequenceRule {
    static let fields = ["DECOM", "REC", "REASON_PLACE_CHANGE", "PLACE", "RNE"]
    static let parameters: [String: RuleParameter.Kind] = ["continuation": .codes, "temporary": .codes, "changes": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let continuation = run.codes("continuation"), temporary = run.codes("temporary"), changes = run.codes("changes")
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (current, next) in zip(order, order.dropFirst()) {
            let row = rows[current], after = rows[next]
            guard continuation.contains(row[1] ?? ""), row[2] == nil, !temporary.contains(row[3] ?? ""),
                  changes.contains(after[4] ?? ""), !temporary.contains(after[3] ?? "") else { continue }
            failing.append(current)
        }
        return failing.sorted()
    }
}
