/// DfE 191 (OC2 rows): a child looked after continuously for 12 months at 31 March without immunisations,
/// teeth check, health assessment or substance misuse given.
struct OC2ItemsMissingLookedAfter12Months: SequenceRule {
    static let fields = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            lookedAfter && row.contains { $0 == nil }
        }
    }
}
