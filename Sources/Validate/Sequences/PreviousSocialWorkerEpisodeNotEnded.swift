/// DfE SW08STG2: every social worker episode of a child with a start date but the latest (by start) has ended.
struct PreviousSocialWorkerEpisodeNotEnded: SequenceRule {
    static let fields = ["SW_DEC", "SW_DECOM"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 1)
        return order.dropLast().filter { rows[$0][0] == nil && rows[$0][1] != nil }.sorted()
    }
}
