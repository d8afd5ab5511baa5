import RCCCore

/// DfE SW10bSTG2: a child's first-contact (`first_contact`: SW_REASON FCONTA) social worker episode starts on or before the previous one's end.
struct FirstContactSocialWorkerEpisodeBeforePreviousEnded: SequenceRule {
    static let fields = ["SW_DECOM", "SW_DEC", "SW_REASON"]
    static let parameters: [String: RuleParameter.Kind] = ["first_contact": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let firstContact = run.codes("first_contact")
        let order = SequenceRules.ordered(rows, by: [0, 1])   // by start, then end, as the validator sorts
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) where firstContact.contains(rows[current][2] ?? "") {
            if let started = rows[current][0], let ended = rows[previous][1], started <= ended { failing.append(current) }
        }
        return failing.sorted()
    }
}
