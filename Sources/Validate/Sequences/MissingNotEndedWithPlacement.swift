/// DfE 575: a missing or away from placement period that starts within an episode that has ended has no end.
struct MissingNotEndedWithPlacement: SequenceRule {
    static let fields = ["MIS_START", "MIS_END"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let episodes = others[CareFacts.episodes]
        return rows.indices.filter { i in
            guard let start = rows[i][0], rows[i][1] == nil else { return false }
            return episodes.contains { e in
                guard let decom = e[0], let dec = e[1] else { return false }
                return start >= decom && start <= dec
            }
        }
    }
}
