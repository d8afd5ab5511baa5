/// DfE 187 (OC3 rows): care leaver data for a child looked after continuously for 12 months at 31 March.
struct CareLeaverLookedAfter12Months: SequenceRule {
    static let fields = ["IN_TOUCH", "ACTIV", "ACCOM"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in lookedAfter && row.contains { $0 != nil } }
    }
}
