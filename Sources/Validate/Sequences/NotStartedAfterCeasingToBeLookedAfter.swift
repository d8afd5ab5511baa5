/// DfE 432: the episode after one that ceased the child's care (an E reason) has reason for new episode S.
struct NotStartedAfterCeasingToBeLookedAfter: SequenceRule {
    static let fields = ["DECOM", "REC", "RNE"]
    static let ceased: Set<String> = [
        "E2", "E3", "E4A", "E4B", "E5", "E6", "E7", "E8", "E9", "E11",
        "E12", "E13", "E14", "E15", "E16", "E17", "E41", "E45", "E46", "E47", "E48",
    ]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard let reason = rows[previous][1], ceased.contains(reason), rows[current][2] != "S" else { return nil }
            return current
        }.sorted()
    }
}
