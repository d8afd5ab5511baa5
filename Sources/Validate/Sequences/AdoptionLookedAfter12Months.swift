/// DfE 187 (AD1 rows): adoption data for a child looked after continuously for 12 months at 31 March.
struct AdoptionLookedAfter12Months: SequenceRule {
    static let fields = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in lookedAfter && row.contains { $0 != nil } }
    }
}
