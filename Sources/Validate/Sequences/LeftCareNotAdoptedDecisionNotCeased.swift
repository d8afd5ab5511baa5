/// DfE 557: a child placed for adoption (A3-A6) or under a placement order (E1) left care (a reason other
/// than E11, E12 or X1) but the decision that it should no longer be placed for adoption is not complete
/// (no PlacedAdoption row, or one without DATE_PLACED_CEASED or REASON_PLACED_CEASED). The validator flags
/// such episodes and the incomplete PlacedAdoption rows.
enum LeftCareNotAdoptedDecisionNotCeased {
    static let placed = "ssda903.placed_adoption"
    static let adoption: Set<String> = ["A3", "A4", "A5", "A6"]

    /// Whether an episode (cells: PLACE, LS, REC) ended the placement without an adoption.
    static func leftNotAdopted(_ e: [String?]) -> Bool {
        guard adoption.contains(e[0] ?? "") || e[1] == "E1", let rec = e[2] else { return false }
        return !["E11", "E12", "X1"].contains(rec)
    }

    static func incomplete(_ decision: [String?]) -> Bool { decision[0] == nil || decision[1] == nil }

    struct Episode: SequenceRule {
        static let fields = ["PLACE", "LS", "REC"]
        static let others = [placed: ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]]

        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            let decisions = others[placed]
            guard others.isReturned(placed), decisions.isEmpty || decisions.contains(where: incomplete) else { return [] }
            return rows.indices.filter { leftNotAdopted(rows[$0]) }
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
        static let others = [CareFacts.episodes: ["PLACE", "LS", "REC"]]

        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            guard others[CareFacts.episodes].contains(where: leftNotAdopted) else { return [] }
            return rows.indices.filter { incomplete(rows[$0]) }
        }
    }
}
