import RCCCore

/// DfE 197B: neither an SDQ score nor a reason for none, for a child looked after continuously for 12 months
/// at 31 March whose `from_age` (4th) or `under_age` (17th) birthday falls in the collection year.
struct SDQMissingAtFourOrSeventeen: SequenceRule {
    static let fields = ["DOB", "SDQ_SCORE", "SDQ_REASON"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["from_age": .number, "under_age": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let fromAge = run.number("from_age"), underAge = run.number("under_age")
        func inYear(_ date: String?) -> Bool { date.map { $0 >= run.startISO && $0 <= run.endISO } ?? false }
        return CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            lookedAfter && row[1] == nil && row[2] == nil
                && (inYear(CareFacts.adding(years: fromAge, to: row[0])) || inYear(CareFacts.adding(years: underAge, to: row[0])))
        }
    }
}
