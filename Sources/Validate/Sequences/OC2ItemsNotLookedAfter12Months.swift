/// DfE 190: data items for children looked after for 12 months (convictions, health, substance misuse) for a
/// child not looked after continuously for 12 months at 31 March.
struct OC2ItemsNotLookedAfter12Months: SequenceRule {
    static let fields = ["CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
                         "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            !lookedAfter && row.contains { $0 != nil }
        }
    }
}
