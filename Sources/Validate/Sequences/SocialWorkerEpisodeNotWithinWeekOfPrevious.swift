import RCCCore

/// DfE SW10aSTG2 (and SW10STG2): a child's social worker episode, unless first contact (`first_contact`: SW_REASON
/// FCONTA), starts more than `most_days` (7) days either side of the previous one's end.
struct SocialWorkerEpisodeNotWithinWeekOfPrevious: SequenceRule {
    static let fields = ["SW_DECOM", "SW_DEC", "SW_REASON"]
    static let parameters: [String: RuleParameter.Kind] = ["first_contact": .codes, "most_days": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let firstContact = run.codes("first_contact"), mostDays = run.number("most_days")
        let order = SequenceRules.ordered(rows, by: [0, 1])   // by start, then end, as the validator sorts
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) where !firstContact.contains(rows[current][2] ?? "") {
            // A blank start, or a previous episode without an end, is not within the days either.
            let started = rows[current][0].flatMap(CivilDate.init(iso:))
            let ended = rows[previous][1].flatMap(CivilDate.init(iso:))
            if let started, let ended, abs(started.days(since: ended)) <= mostDays { continue }
            failing.append(current)
        }
        return failing.sorted()
    }
}
