/// DfE 185: an SDQ score for a child not looked after continuously for 12 months at 31 March.
struct SDQScoreNotLookedAfter12Months: SequenceRule {
    static let fields = ["SDQ_SCORE"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in row[0] != nil && !lookedAfter }
    }
}
