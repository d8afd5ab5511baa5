import RCCCore

/// DfE SW10aSTG2: a child's social worker episode, unless first contact, starts more than 7 days either side of the previous one's end.
struct SocialWorkerEpisodeNotWithinWeekOfPrevious: SequenceRule {
    static let fields = ["SW_DECOM", "SW_DEC", "SW_REASON"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: [0, 1])   // by start, then end, as the validator sorts
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) where rows[current][2] != "FCONTA" {
            // A blank start, or a previous episode without an end, is not within the 7 days either.
            let started = rows[current][0].flatMap(CivilDate.init(iso:))
            let ended = rows[previous][1].flatMap(CivilDate.init(iso:))
            if let started, let ended, abs(started.days(since: ended)) <= 7 { continue }
            failing.append(current)
        }
        return failing.sorted()
    }
}
