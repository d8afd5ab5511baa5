/// DfE 434: an episode with reason L (legal status changed, placement not) has a new legal status and the previous episode's placement.
struct LegalStatusChangeNotReflected: SequenceRule {
    static let fields = ["DECOM", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard rows[current][1] == "L" else { return nil }
            // As the validator compares: the same legal status only when both are given; placement fields blank on both are the same.
            let sameStatus = rows[current][2] != nil && rows[current][2] == rows[previous][2]
            let placementChanged = (3...6).contains { rows[current][$0] != rows[previous][$0] }
            return sameStatus || placementChanged ? current : nil
        }.sorted()
    }
}
