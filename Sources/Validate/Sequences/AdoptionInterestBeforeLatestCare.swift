import RCCCore

/// DfE 334: the date the LA decided adoption was in the child's best interests (AD1's DATE_INT) is before
/// the start of the child's latest episode starting a period of care (RNE of `period_start`: S). The
/// validator flags both rows: that episode (Episodes side) and the AD1 row (AD1 side).
enum AdoptionInterestBeforeLatestCare {
    static let ad1 = "ssda903.ad1"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["period_start": .codes]

    /// The start of the child's latest episode starting a period of care (the first in the file among
    /// equals), and its row (cells: DECOM, RNE).
    static func latestStart(_ episodes: RuleRows, _ run: RuleRun) -> (row: Int, decom: String)? {
        let periodStart = run.codes("period_start")
        let starts = episodes.indices.filter { periodStart.contains(episodes[$0][1] ?? "") && episodes[$0][0] != nil }
        guard let latest = starts.max(by: { (episodes[$0][0]!, $1) < (episodes[$1][0]!, $0) }) else { return nil }
        return (latest, episodes[latest][0]!)
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "RNE"]
        static let others = [ad1: ["DATE_INT"]]
        static let parameters = AdoptionInterestBeforeLatestCare.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let latest = latestStart(rows, run), others[ad1].contains(where: { ($0[0] ?? latest.decom) < latest.decom }) else { return [] }
            return [latest.row]
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["DATE_INT"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields]
        static let parameters = AdoptionInterestBeforeLatestCare.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let latest = latestStart(RuleRows(others[CareFacts.episodes].map { [$0[0], $0[2]] }), run) else { return [] }
            return rows.indices.filter { (rows[$0][0] ?? latest.decom) < latest.decom }
        }
    }
}
