import RCCCore

/// DfE 553: a placement order (legal status of `placement_order`: E1) when the child has no PlacedAdoption
/// row (Episodes side); and, while a placement order episode is open, a decision that the child should no longer be placed for adoption
/// (DATE_PLACED_CEASED or REASON_PLACED_CEASED given; PlacedAdoption side).
enum PlacementOrderWithoutDecision {
    static let placed = "ssda903.placed_adoption"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["placement_order": .codes]

    struct Episode: SequenceRule {
        static let fields = ["LS"]
        static let others = [placed: ["DATE_PLACED"]]
        static let parameters = PlacementOrderWithoutDecision.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard others.isReturned(placed), others[placed].isEmpty else { return [] }
            let order = run.codes("placement_order")
            return rows.indices.filter { order.contains(rows[$0][0] ?? "") }
        }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields]
        static let parameters = PlacementOrderWithoutDecision.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let order = run.codes("placement_order")
            guard others[CareFacts.episodes].contains(where: { order.contains($0[4] ?? "") && $0[1] == nil }) else { return [] }
            return rows.indices.filter { rows[$0][0] != nil || rows[$0][1] != nil }
        }
    }
}
