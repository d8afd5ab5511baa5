/// DfE 553: a placement order (legal status E1) when the child has no PlacedAdoption row (Episodes side);
/// and, while an E1 episode is open, a decision that the child should no longer be placed for adoption
/// (DATE_PLACED_CEASED or REASON_PLACED_CEASED given; PlacedAdoption side).
enum PlacementOrderWithoutDecision {
    static let placed = "ssda903.placed_adoption"

    struct Episode: SequenceRule {
        static let fields = ["LS"]
        static let others = [placed: ["DATE_PLACED"]]

        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            guard others.isReturned(placed), others[placed].isEmpty else { return [] }
            return rows.indices.filter { rows[$0][0] == "E1" }
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields]

        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            guard others[CareFacts.episodes].contains(where: { $0[4] == "E1" && $0[1] == nil }) else { return [] }
            return rows.indices.filter { rows[$0][0] != nil || rows[$0][1] != nil }
        }
    }
}
