import RCCCore

/// DfE 436: an episode with a reason of placement and legal status both changed (`placement_and_legal_status`: U, B) differs from the previous in legal status and placement.
struct PlacementAndLegalStatusChangeNotReflected: SequenceRule {
    static let fields = ["DECOM", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]
    static let parameters: [String: RuleParameter.Kind] = ["placement_and_legal_status": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let bothChanged = run.codes("placement_and_legal_status")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard bothChanged.contains(rows[current][1] ?? "") else { return nil }
            // As the validator compares: blanks on both sides are the same.
            let sameStatus = rows[current][2] == rows[previous][2]
            let placementUnchanged = (3...6).allSatisfy { rows[current][$0] == rows[previous][$0] }
            return sameStatus || placementUnchanged ? current : nil
        }.sorted()
    }
}
