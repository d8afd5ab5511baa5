import RCCCore

/// DfE 543: a child `from_age` (10) or over at 31 March (that birthday before then, as the validator
/// compares), looked after continuously for 12 months, without conviction information.
struct ConvictionMissingLookedAfter12Months: SequenceRule {
    static let fields = ["DOB", "CONVICTED"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]
    static let parameters: [String: RuleParameter.Kind] = ["from_age": .number]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let fromAge = run.number("from_age")
        return CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, let birthday = CareFacts.adding(years: fromAge, to: row[0]) else { return false }
            return run.endISO > birthday
        }
    }
}
