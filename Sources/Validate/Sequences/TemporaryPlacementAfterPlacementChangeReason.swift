/// DfE 226 (the part that needs the previous episode): a temporary placement whose previous episode, in order of start, has a reason for placement change.
struct TemporaryPlacementAfterPlacementChangeReason: SequenceRule {
    static let fields = ["DECOM", "PLACE", "REASON_PLACE_CHANGE"]
    static let temporary: Set<String> = ["T0", "T1", "T2", "T3", "T4"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard let place = rows[current][1], temporary.contains(place), rows[previous][2] != nil else { return nil }
            return current
        }.sorted()
    }
}
