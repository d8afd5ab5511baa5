/// DfE SW14STG2: a child's social worker episode other than the latest (by start) has no end date.
struct SocialWorkerEpisodeEndBlank: SequenceRule {
    static let fields = ["SW_DEC", "SW_DECOM"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 1)
        return order.dropLast().filter { rows[$0][0] == nil }.sorted()
    }
}
