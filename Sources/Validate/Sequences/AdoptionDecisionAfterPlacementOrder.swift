/// DfE 554: a decision that the child should be placed for adoption (DATE_PLACED) is after the start of the
/// child's first placement order episode (legal status E1). The validator flags both rows.
enum AdoptionDecisionAfterPlacementOrder {
    static let placed = "ssda903.placed_adoption"

    /// The start of the child's earliest E1 episode, and its row (cells: DECOM, LS).
    static func firstOrder(_ episodes: [[String?]]) -> (row: Int, decom: String)? {
        let orders = episodes.indices.filter { episodes[$0][1] == "E1" && episodes[$0][0] != nil }
        guard let first = orders.min(by: { (episodes[$0][0]!, $0) < (episodes[$1][0]!, $1) }) else { return nil }
        return (first, episodes[first][0]!)
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "LS"]
        static let others = [placed: ["DATE_PLACED"]]

        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstOrder(rows), others[placed].contains(where: { ($0[0] ?? "") > first.decom }) else { return [] }
            return [first.row]
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED"]
        static let others = [CareFacts.episodes: ["DECOM", "LS"]]

        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            guard let first = firstOrder(others[CareFacts.episodes]) else { return [] }
            return rows.indices.filter { (rows[$0][0] ?? "") > first.decom }
        }
    }
}
