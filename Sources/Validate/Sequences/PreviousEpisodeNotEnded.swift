/// DfE 142: every episode of a child but the latest (by start) has ended, with a date and a reason.
struct PreviousEpisodeNotEnded: SequenceRule {
    static let fields = ["DECOM", "DEC", "REC"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0).filter { rows[$0][0] != nil }
        return order.dropLast().filter { rows[$0][1] == nil || rows[$0][2] == nil }
    }
}
