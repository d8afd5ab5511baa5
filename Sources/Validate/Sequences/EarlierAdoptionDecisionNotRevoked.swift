/// DfE 583: every decision to place a child for adoption but the latest has a date it ceased.
struct EarlierAdoptionDecisionNotRevoked: SequenceRule {
    static let fields = ["DATE_PLACED_CEASED", "DATE_PLACED"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 1)
        return order.dropLast().filter { rows[$0][0] == nil }.sorted()
    }
}
