import RCCCore

/// DfE 554: a decision that the child should be placed for adoption (DATE_PLACED) is after the start of the
/// child's first placement order episode (legal status of `placement_order`: E1). The validator flags both rows.
enum AdoptionDecisionAfterPlacementOrder {
    static let placed = "ssda903.placed_adoption"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["placement_order": .codes]

    /// The start of the child's earliest placement order episode, and its row (cells: DECOM, LS).
    static func firstOrder(_ episodes: RuleRows, _ run: RuleRun) -> (row: Int, decom: String)? {
        let order = run.codes("placement_order")
        let orders = episodes.indices.filter { order.contains(episodes[$0][1] ?? "") && episodes[$0][0] != nil }
        guard let first = orders.min(by: { (episodes[$0][0]!, $0) < (episodes[$1][0]!, $1) }) else { return nil }
        return (first, episodes[first][0]!)
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "LS"]
        static let others = [placed: ["DATE_PLACED"]]
        static let parameters = AdoptionDecisionAfterPlacementOrder.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstOrder(rows, run), others[placed].contains(where: { ($0[0] ?? "") > first.decom }) else { return [] }
            return [first.row]
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED"]
        static let others = [CareFacts.episodes: ["DECOM", "LS"]]
        static let parameters = AdoptionDecisionAfterPlacementOrder.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstOrder(others[CareFacts.episodes], run) else { return [] }
            return rows.indices.filter { (rows[$0][0] ?? "") > first.decom }
        }
    }
}
