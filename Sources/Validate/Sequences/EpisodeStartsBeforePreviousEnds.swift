/// DfE 501: a child's episode, in order of start, begins before the one before it ended.
struct EpisodeStartsBeforePreviousEnds: SequenceRule {
    static let fields = ["DECOM", "DEC"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) {
            if let started = rows[current][0], let ended = rows[previous][1], started < ended { failing.append(current) }
        }
        return failing
    }
}
