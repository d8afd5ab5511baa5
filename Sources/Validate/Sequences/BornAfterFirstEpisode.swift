/// DfE 302 (Header rows): the Header's date of birth is after the start of the child's first episode.
struct BornAfterFirstEpisode: SequenceRule {
    static let fields = ["DOB"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard let first = others[CareFacts.episodes].compactMap({ $0[0] }).min() else { return [] }
        return rows.indices.filter { rows[$0][0].map { $0 > first } ?? false }
    }
}
