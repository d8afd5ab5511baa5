/// DfE 4014: two of a child's CIN plans overlap (one starts on or before the other ends, or before the
/// census date when that one is open).
struct OverlappingCINPlans: SequenceRule {
    static let fields = ["CINPlanStartDate", "CINPlanEndDate"]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        SequenceRules.overlapping(rows, start: 0, end: 1, reference: run.endISO)
    }
}
