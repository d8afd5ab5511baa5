/// DfE 186: neither an SDQ score nor a reason for none, for a child looked after continuously for 12 months
/// at 31 March who was 4 or over on 1 April and under 17 on 31 March.
struct SDQMissingLookedAfter12Months: SequenceRule {
    static let fields = ["DOB", "SDQ_SCORE", "SDQ_REASON"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, row[2] == nil,
                  let four = CareFacts.adding(years: 4, to: row[0]), let seventeen = CareFacts.adding(years: 17, to: row[0])
            else { return false }
            return four <= run.startISO && seventeen > run.endISO
        }
    }
}
