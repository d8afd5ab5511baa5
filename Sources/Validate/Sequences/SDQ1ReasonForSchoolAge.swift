/// DfE 157: reason SDQ1 for no SDQ score, for a child looked after continuously for 12 months at 31 March
/// who was 4 or over on 1 April and 16 or under on 31 March (its 16th birthday on or after it, as the
/// validator compares).
struct SDQ1ReasonForSchoolAge: SequenceRule {
    static let fields = ["DOB", "SDQ_SCORE", "SDQ_REASON"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        CareFacts.failing(rows, others: others, in: run) { row, lookedAfter in
            guard lookedAfter, row[1] == nil, row[2] == "SDQ1",
                  let four = CareFacts.adding(years: 4, to: row[0]), let sixteen = CareFacts.adding(years: 16, to: row[0])
            else { return false }
            return four <= run.startISO && sixteen >= run.endISO
        }
    }
}
