/// DfE 579: a child's decision to place for adoption starts while the one before it is open or before it ceased.
struct AdoptionDecisionOverlapsPrevious: SequenceRule {
    static let fields = ["DATE_PLACED", "DATE_PLACED_CEASED"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) {
            guard let ceased = rows[previous][1] else { failing.append(current); continue }
            if let placed = rows[current][0], placed < ceased { failing.append(current) }
        }
        return failing.sorted()
    }
}
