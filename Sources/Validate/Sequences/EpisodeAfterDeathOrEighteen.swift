import RCCCore

/// DfE 437: an episode ceased for a reason after which no episode follows (`final`: the child died, E2, or was
/// assessed as aged 18 or over, E15) is the child's latest.
struct EpisodeAfterDeathOrEighteen: SequenceRule {
    static let fields = ["DECOM", "REC"]
    static let parameters: [String: RuleParameter.Kind] = ["final": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let final = run.codes("final")
        let order = SequenceRules.ordered(rows, by: 0)
        return order.dropLast().filter { rows[$0][0] != nil && final.contains(rows[$0][1] ?? "") }.sorted()
    }
}
