import RCCCore

/// DfE 552: the child's latest decision that it should be placed for adoption (DATE_PLACED) is after the
/// start of its first placement for adoption (PLACE of `adoption_placements`: A3-A6). The validator flags
/// both rows.
enum AdoptionDecisionAfterPlacement {
    static let placed = "ssda903.placed_adoption"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["adoption_placements": .codes]

    /// The earliest start of a placement for adoption, and its row (cells: DECOM, PLACE).
    static func firstPlacement(_ episodes: RuleRows, _ run: RuleRun) -> (row: Int, decom: String)? {
        let adoption = run.codes("adoption_placements")
        let placements = episodes.indices.filter { adoption.contains(episodes[$0][1] ?? "") && episodes[$0][0] != nil }
        guard let first = placements.min(by: { (episodes[$0][0]!, $0) < (episodes[$1][0]!, $1) }) else { return nil }
        return (first, episodes[first][0]!)
    }

    /// The latest decision, and its row (the first in the file among equals).
    static func latestDecision(_ decisions: RuleRows) -> (row: Int, date: String)? {
        let dated = decisions.indices.filter { decisions[$0][0] != nil }
        guard let latest = dated.max(by: { (decisions[$0][0]!, $1) < (decisions[$1][0]!, $0) }) else { return nil }
        return (latest, decisions[latest][0]!)
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "PLACE"]
        static let others = [placed: ["DATE_PLACED"]]
        static let parameters = AdoptionDecisionAfterPlacement.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstPlacement(rows, run), let decision = latestDecision(others[placed]), first.decom < decision.date else { return [] }
            return [first.row]
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED"]
        static let others = [CareFacts.episodes: ["DECOM", "PLACE"]]
        static let parameters = AdoptionDecisionAfterPlacement.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstPlacement(others[CareFacts.episodes], run), let decision = latestDecision(rows),
                  first.decom < decision.date else { return [] }
            return [decision.row]
        }
    }
}
