import RCCCore

/// DfE 435: an episode with a reason of placement changed, legal status not (`placement_only`: P, T) keeps the previous legal status and changes the placement.
struct PlacementChangeNotReflected: SequenceRule {
    static let fields = ["DECOM", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]
    static let parameters: [String: RuleParameter.Kind] = ["placement_only": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let placementOnly = run.codes("placement_only")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard placementOnly.contains(rows[current][1] ?? "") else { return nil }
            // As the validator compares: a blank is never the same as anything, itself included.
            func same(_ field: Int) -> Bool { rows[current][field] != nil && rows[current][field] == rows[previous][field] }
            let placementUnchanged = (3...6).allSatisfy(same)
            return !same(2) || placementUnchanged ? current : nil
        }.sorted()
    }
}
