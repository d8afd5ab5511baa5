/// DfE 545: a child under 5 at 31 March, looked after continuously for 12 months, without health
/// promotion information (HEALTH_CHECK).
struct HealthCheckMissingUnderFive: SequenceRule {
    static let fields = ["DOB", "HEALTH_CHECK"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, let five = CareFacts.adding(years: 5, to: row[0]) else { return false }
            return run.endISO < five
        }
    }
}
