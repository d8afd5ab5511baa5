import RCCCore

/// DfE 1011: care leaver data (an OC3 row with any item) for a child whose latest episode (latest start)
/// ended with care transferred to another LA (REC of `transferred`: E3).
struct CareLeaverAfterTransfer: SequenceRule {
    static let fields = ["IN_TOUCH", "ACTIV", "ACCOM"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["transferred": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let episodes = others[CareFacts.episodes]
        let dated = episodes.indices.filter { episodes[$0][0] != nil }
        guard let latest = dated.max(by: { (episodes[$0][0]!, $1) < (episodes[$1][0]!, $0) }),
              run.codes("transferred").contains(episodes[latest][3] ?? "") else { return [] }
        return rows.indices.filter { rows[$0].contains { $0 != nil } }
    }
}
