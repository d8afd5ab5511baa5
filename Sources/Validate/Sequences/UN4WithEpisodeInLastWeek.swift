import RCCCore

/// DfE 210, the Header's part: a child whose UPN is `upn_not_obtained` (UN4) with an episode starting on or
/// after `days_before_end` (7) days before the collection's end (24 March). As csc-validator-be-903 reads
/// it, which follows the DfE's rule text, not its message (see the YAML); the episodes are flagged by an
/// expression rule on Episodes (`ssda903.episodes.DECOM.un4-last-week`).
struct UN4WithEpisodeInLastWeek: SequenceRule {
    static let fields = ["UPN"]
    static let others = [CareFacts.episodes: ["DECOM"]]
    static let parameters: [String: RuleParameter.Kind] = ["upn_not_obtained": .code, "days_before_end": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        // `days_before_end` (a week) before the collection's end, as the Episodes rule's `add_days(collection_end, -7)`.
        guard let weekBefore = CivilDate(dayNumber: run.end.dayNumber - run.number("days_before_end"))?.iso else { return [] }
        guard others[CareFacts.episodes].contains(where: { ($0[0] ?? "") >= weekBefore }) else { return [] }
        let notObtained = run.code("upn_not_obtained")
        return rows.indices.filter { rows[$0][0] == notObtained }
    }
}
