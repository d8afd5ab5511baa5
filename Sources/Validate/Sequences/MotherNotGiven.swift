/// DfE 393: a girl (SEX F) looked after (an episode under a legal status other than V3 or V4) has no MOTHER.
struct MotherNotGiven: SequenceRule {
    static let fields = ["SEX", "MOTHER"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        guard others[CareFacts.episodes].contains(where: { $0[4] != "V3" && $0[4] != "V4" }) else { return [] }
        return rows.indices.filter { rows[$0][0] == "F" && rows[$0][1] == nil }
    }
}
