import RCCCore

/// DfE 186: neither an SDQ score nor a reason for none, for a child looked after continuously for 12 months
/// at 31 March who was `from_age` (4) or over on 1 April and under `under_age` (17) on 31 March.
struct SDQMissingLookedAfter12Months: SequenceRule {
    static let fields = ["DOB", "SDQ_SCORE", "SDQ_REASON"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["from_age": .number, "under_age": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let fromAge = run.number("from_age"), underAge = run.number("under_age")
        return CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, row[2] == nil,
                  let from = CareFacts.adding(years: fromAge, to: row[0]), let under = CareFacts.adding(years: underAge, to: row[0])
            else { return false }
            return from <= run.startISO && under > run.endISO
        }
    }
}
