import RCCCore

/// DfE 210, the Header's part: a child whose UPN is UN4 (not yet obtained) with an episode starting on or
/// after 24 March of the collection year (a week before its end). As csc-validator-be-903 reads it, which
/// follows the DfE's rule text, not its message (see the YAML); the episodes are flagged by an expression
/// rule on Episodes (`ssda903.episodes.DECOM.un4-last-week`).
struct UN4WithEpisodeInLastWeek: SequenceRule {
    static let fields = ["UPN"]
    static let others = [CareFacts.episodes: ["DECOM"]]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        // A week before the collection's end, as the Episodes rule's `add_days(collection_end, -7)`.
        guard let weekBefore = CivilDate(dayNumber: run.end.dayNumber - 7)?.iso else { return [] }
        guard others[CareFacts.episodes].contains(where: { ($0[0] ?? "") >= weekBefore }) else { return [] }
        return rows.indices.filter { rows[$0][0] == "UN4" }
    }
}
