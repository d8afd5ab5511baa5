/// DfE 436: an episode with reason U or B (placement and legal status both changed) differs from the previous in legal status and placement.
struct PlacementAndLegalStatusChangeNotReflected: SequenceRule {
    static let fields = ["DECOM", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard rows[current][1] == "U" || rows[current][1] == "B" else { return nil }
            // As the validator compares: blanks on both sides are the same.
            let sameStatus = rows[current][2] == rows[previous][2]
            let placementUnchanged = (3...6).allSatisfy { rows[current][$0] == rows[previous][$0] }
            return sameStatus || placementUnchanged ? current : nil
        }.sorted()
    }
}
