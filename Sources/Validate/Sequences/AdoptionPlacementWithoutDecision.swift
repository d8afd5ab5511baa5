import RCCCore

/// DfE 551: a placement for adoption (PLACE of `adoption_placements`: A3-A6) when the child has no
/// PlacedAdoption row, or one without a date of the decision (DATE_PLACED).
struct AdoptionPlacementWithoutDecision: SequenceRule {
    static let fields = ["PLACE"]
    static let others = ["ssda903.placed_adoption": ["DATE_PLACED"]]
    static let parameters: [String: RuleParameter.Kind] = ["adoption_placements": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let decisions = others["ssda903.placed_adoption"]
        guard others.isReturned("ssda903.placed_adoption"), decisions.isEmpty || decisions.contains(where: { $0[0] == nil })
        else { return [] }
        let adoption = run.codes("adoption_placements")
        return rows.indices.filter { adoption.contains(rows[$0][0] ?? "") }
    }
}
