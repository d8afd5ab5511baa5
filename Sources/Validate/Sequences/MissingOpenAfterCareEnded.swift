/// DfE 577: a missing or away from placement period falls outside every period of care of the child (see
/// the YAML for how the validator reads "outside"), such as one still open when care has ended.
struct MissingOpenAfterCareEnded: SequenceRule {
    static let fields = ["MIS_START", "MIS_END"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let periods = CareFacts.periodsOfCare(others[CareFacts.episodes])
        guard !periods.isEmpty else { return [] }
        return rows.indices.filter { CareFacts.outsideEveryPeriod(start: rows[$0][0], end: rows[$0][1], periods) }
    }
}
