/// DfE 578: a missing or away from placement period starts outside every period of care of the child
/// (before it started, or after it ended).
struct MissingStartOutsideCare: SequenceRule {
    static let fields = ["MIS_START"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let periods = CareFacts.periodsOfCare(others[CareFacts.episodes])
        guard !periods.isEmpty else { return [] }
        return rows.indices.filter { i in
            guard let start = rows[i][0] else { return false }
            return periods.allSatisfy { care in start < care.start || (care.end.map { start > $0 } ?? false) }
        }
    }
}
