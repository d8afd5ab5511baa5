/// DfE 581: a missing or away from placement period starts within none of the child's episodes (on or
/// after its start, and on or before its end when it has one).
struct MissingNotInEpisode: SequenceRule {
    static let fields = ["MIS_START"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let episodes = others[CareFacts.episodes]
        guard !episodes.isEmpty else { return [] }
        return rows.indices.filter { i in
            !episodes.contains { e in
                guard let start = rows[i][0], let decom = e[0] else { return false }
                return start >= decom && (e[1].map { start <= $0 } ?? true)
            }
        }
    }
}
