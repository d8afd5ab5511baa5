import RCCCore

/// DfE 546: health promotion information (HEALTH_CHECK) for a child `from_age` (5) or over at 31 March; as
/// the validator reads it, only for a child looked after continuously for 12 months.
struct HealthCheckGivenFiveOrOver: SequenceRule {
    static let fields = ["DOB", "HEALTH_CHECK"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["from_age": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let fromAge = run.number("from_age")
        return CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] != nil, let birthday = CareFacts.adding(years: fromAge, to: row[0]) else { return false }
            return run.endISO >= birthday
        }
    }
}
