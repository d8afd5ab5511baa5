/// DfE 191 (Episodes rows): a child looked after continuously for 12 months at 31 March has no OC2 row;
/// the finding is on its earliest episode.
struct LookedAfter12MonthsWithoutOC2: SequenceRule {
    static let fields = CareFacts.episodeFields
    static let others = ["ssda903.oc2": ["CHILD"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("ssda903.oc2"), others["ssda903.oc2"].isEmpty, CareFacts.continuouslyLookedAfter(rows, in: run),
              let first = SequenceRules.ordered(rows, by: 0).first else { return [] }
        return [first]
    }
}
