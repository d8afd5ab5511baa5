import RCCCore

/// DfE 1003: the date of the decision that the child should be placed for adoption (PlacedAdoption's
/// DATE_PLACED) is before the start of the child's first episode starting a period of care (RNE of
/// `period_start`: S). The validator flags both rows: the earliest such episode (Episodes side) and each such
/// decision (PlacedAdoption side).
enum AdoptionDecisionBeforeCare {
    static let placed = "ssda903.placed_adoption"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["period_start": .codes]

    /// The start of the child's earliest episode starting a period of care, and its row (cells: DECOM, RNE).
    static func firstStart(_ episodes: RuleRows, _ run: RuleRun) -> (row: Int, decom: String)? {
        let periodStart = run.codes("period_start")
        let starts = episodes.indices.filter { periodStart.contains(episodes[$0][1] ?? "") && episodes[$0][0] != nil }
        guard let first = starts.min(by: { (episodes[$0][0]!, $0) < (episodes[$1][0]!, $1) }) else { return nil }
        return (first, episodes[first][0]!)
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "RNE"]
        static let others = [placed: ["DATE_PLACED"]]
        static let parameters = AdoptionDecisionBeforeCare.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstStart(rows, run), others[placed].contains(where: { ($0[0] ?? first.decom) < first.decom }) else { return [] }
            return [first.row]
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields]
        static let parameters = AdoptionDecisionBeforeCare.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            // CareFacts.episodeFields: DECOM, DEC, RNE…; firstStart reads DECOM and RNE.
            guard let first = firstStart(RuleRows(others[CareFacts.episodes].map { [$0[0], $0[2]] }), run) else { return [] }
            return rows.indices.filter { (rows[$0][0] ?? first.decom) < first.decom }
        }
    }
}
