/// DfE SW10bSTG2: a child's first-contact social worker episode starts on or before the previous one's end.
struct FirstContactSocialWorkerEpisodeBeforePreviousEnded: SequenceRule {
    static let fields = ["SW_DECOM", "SW_DEC", "SW_REASON"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: [0, 1])   // by start, then end, as the validator sorts
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) where rows[current][2] == "FCONTA" {
            if let started = rows[current][0], let ended = rows[previous][1], started <= ended { failing.append(current) }
        }
        return failing.sorted()
    }
}
