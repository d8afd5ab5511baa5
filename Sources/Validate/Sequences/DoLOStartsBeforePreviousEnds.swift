/// DfE 705: a DoLO starts while the previous one is still open: in order of end (an open one by its start)
/// then start, it follows one without an end or starts before that one's end.
struct DoLOStartsBeforePreviousEnds: SequenceRule {
    static let fields = ["DOLO_START", "DOLO_END"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let filled = rows.map { [$0[1] ?? $0[0], $0[0]] }
        let order = SequenceRules.ordered(RuleRows(filled), by: [0, 1])
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard let previousEnd = rows[previous][1] else { return current }
            return (rows[current][0].map { $0 < previousEnd } ?? false) ? current : nil
        }.sorted()
    }
}
