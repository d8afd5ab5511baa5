import RCCCore

/// DfE 157: a reason of `reasons` (SDQ1) for no SDQ score, for a child looked after continuously for 12
/// months at 31 March who was `from_age` (4) or over on 1 April and `to_age` (16) or under on 31 March (that
/// birthday on or after it, as the validator compares).
struct SDQ1ReasonForSchoolAge: SequenceRule {
    static let fields = ["DOB", "SDQ_SCORE", "SDQ_REASON"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["reasons": .codes, "from_age": .number, "to_age": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let reasons = run.codes("reasons"), fromAge = run.number("from_age"), toAge = run.number("to_age")
        return CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, let reason = row[2], reasons.contains(reason),
                  let from = CareFacts.adding(years: fromAge, to: row[0]), let to = CareFacts.adding(years: toAge, to: row[0])
            else { return false }
            return from <= run.startISO && to >= run.endISO
        }
    }
}
