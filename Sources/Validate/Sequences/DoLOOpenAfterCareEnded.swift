/// DfE 707: a DoLO falls outside every period of care of the child (as 577 reads a missing period; see the
/// YAML), such as one still open when care has ended.
struct DoLOOpenAfterCareEnded: SequenceRule {
    static let fields = ["DOLO_START", "DOLO_END"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let periods = CareFacts.periodsOfCare(others[CareFacts.episodes])
        return rows.indices.filter { CareFacts.outsideEveryPeriod(start: rows[$0][0], end: rows[$0][1], periods) }
    }
}
