import RCCCore

/// DfE 557: a child placed for adoption (PLACE of `adoption_placements`: A3-A6) or under a placement order
/// (LS of `placement_order`: E1) left care (a reason other than those of `adopted_or_continuing`: E11, E12,
/// X1) but the decision that it should no longer be placed for adoption is not complete (no PlacedAdoption
/// row, or one without DATE_PLACED_CEASED or REASON_PLACED_CEASED). The validator flags such episodes and the
/// incomplete PlacedAdoption rows.
enum LeftCareNotAdoptedDecisionNotCeased {
    static let placed = "ssda903.placed_adoption"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = [
        "adoption_placements": .codes, "placement_order": .codes, "adopted_or_continuing": .codes,
    ]

    /// Whether an episode (cells: PLACE, LS, REC) ended the placement without an adoption.
    static func leftNotAdopted(_ run: RuleRun) -> (RuleRow) -> Bool {
        let adoption = run.codes("adoption_placements"), order = run.codes("placement_order")
        let notLeft = run.codes("adopted_or_continuing")
        return { e in
            guard adoption.contains(e[0] ?? "") || order.contains(e[1] ?? ""), let rec = e[2] else { return false }
            return !notLeft.contains(rec)
        }
    }

    static func incomplete(_ decision: RuleRow) -> Bool { decision[0] == nil || decision[1] == nil }

    struct Episode: SequenceRule {
        static let fields = ["PLACE", "LS", "REC"]
        static let others = [placed: ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]]
        static let parameters = LeftCareNotAdoptedDecisionNotCeased.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let decisions = others[placed]
            guard others.isReturned(placed), decisions.isEmpty || decisions.contains(where: incomplete) else { return [] }
            let left = leftNotAdopted(run)
            return rows.indices.filter { left(rows[$0]) }
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
        static let others = [CareFacts.episodes: ["PLACE", "LS", "REC"]]
        static let parameters = LeftCareNotAdoptedDecisionNotCeased.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard others[CareFacts.episodes].contains(where: leftNotAdopted(run)) else { return [] }
            return rows.indices.filter { incomplete(rows[$0]) }
        }
    }
}
