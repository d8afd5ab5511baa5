import RCCCore

/// DfE 336: a placement for adoption with consent (`adoption_with_consent`: A3, A4) follows a placement of
/// `may_follow` (foster placements U1-U6, placements for adoption A3-A6), unless it is the child's first episode.
struct AdoptionPlacementNotAfterFoster: SequenceRule {
    static let fields = ["DECOM", "PLACE"]
    static let parameters: [String: RuleParameter.Kind] = ["adoption_with_consent": .codes, "may_follow": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let adoption = run.codes("adoption_with_consent"), mayFollow = run.codes("may_follow")
        let order = SequenceRules.ordered(rows, by: 0)
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst())
        where adoption.contains(rows[current][1] ?? "") && !mayFollow.contains(rows[previous][1] ?? "") {
            failing.append(current)
        }
        return failing.sorted()
    }
}
