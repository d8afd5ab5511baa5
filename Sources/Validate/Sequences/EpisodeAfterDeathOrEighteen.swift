/// DfE 437: an episode ceased because the child died (E2) or turned 18 (E15) is the child's latest.
struct EpisodeAfterDeathOrEighteen: SequenceRule {
    static let fields = ["DECOM", "REC"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return order.dropLast().filter { rows[$0][0] != nil && (rows[$0][1] == "E2" || rows[$0][1] == "E15") }.sorted()
    }
}
