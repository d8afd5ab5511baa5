/// DfE 431: an episode started to be looked after (RNE S) begins on or before the day the previous episode ended.
struct StartedToBeLookedAfterBeforePreviousEnded: SequenceRule {
    static let fields = ["DECOM", "DEC", "RNE"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard rows[current][2] == "S", let started = rows[current][0], let ended = rows[previous][1], started <= ended else { return nil }
            return current
        }.sorted()
    }
}
