/// DfE 543: a child 10 or over at 31 March (its 10th birthday before then, as the validator compares),
/// looked after continuously for 12 months, without conviction information.
struct ConvictionMissingLookedAfter12Months: SequenceRule {
    static let fields = ["DOB", "CONVICTED"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, let ten = CareFacts.adding(years: 10, to: row[0]) else { return false }
            return run.endISO > ten
        }
    }
}
