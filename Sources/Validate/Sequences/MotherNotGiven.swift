import RCCCore

/// DfE 393: a girl (SEX of `girl`: F) looked after (an episode under a legal status other than those of
/// `respite`: V3, V4) has no MOTHER.
struct MotherNotGiven: SequenceRule {
    static let fields = ["SEX", "MOTHER"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["girl": .codes, "respite": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let girl = run.codes("girl"), respite = run.codes("respite")
        guard others[CareFacts.episodes].contains(where: { !respite.contains($0[4] ?? "") }) else { return [] }
        return rows.indices.filter { girl.contains(rows[$0][0] ?? "") && rows[$0][1] == nil }
    }
}
