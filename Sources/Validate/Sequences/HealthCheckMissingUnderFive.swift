import RCCCore

/// DfE 545: a child under `under_age` (5) at 31 March, looked after continuously for 12 months, without
/// health promotion information (HEALTH_CHECK).
struct HealthCheckMissingUnderFive: SequenceRule {
    static let fields = ["DOB", "HEALTH_CHECK"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["under_age": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let underAge = run.number("under_age")
        return CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, let birthday = CareFacts.adding(years: underAge, to: row[0]) else { return false }
            return run.endISO < birthday
        }
    }
}
