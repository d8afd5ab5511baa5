import RCCCore

/// DfE 357: the child's first episode, when it starts in the collection year, starts a period of care
/// (`started`: RNE S).
struct FirstEpisodeNotStarted: SequenceRule {
    static let fields = ["DECOM", "RNE"]
    static let parameters: [String: RuleParameter.Kind] = ["started": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        // The earliest start (the first in the file among equals), as the validator's idxmin takes it.
        guard let first = SequenceRules.ordered(rows, by: 0).first, let start = rows[first][0],
              start >= run.startISO, !run.codes("started").contains(rows[first][1] ?? "") else { return [] }
        return [first]
    }
}
