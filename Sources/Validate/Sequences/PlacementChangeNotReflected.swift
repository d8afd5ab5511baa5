/// DfE 435: an episode with reason P or T (placement changed, legal status not) keeps the previous legal status and changes the placement.
struct PlacementChangeNotReflected: SequenceRule {
    static let fields = ["DECOM", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard rows[current][1] == "P" || rows[current][1] == "T" else { return nil }
            // As the validator compares: a blank is never the same as anything, itself included.
            func same(_ field: Int) -> Bool { rows[current][field] != nil && rows[current][field] == rows[previous][field] }
            let placementUnchanged = (3...6).allSatisfy(same)
            return !same(2) || placementUnchanged ? current : nil
        }.sorted()
    }
}
