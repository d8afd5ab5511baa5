import RCCCore

/// DfE 363 (the part over several episodes): a period of child assessment order (`legal_status`: L3) episodes adds up to more than `most_days` (7) days.
struct ChildAssessmentOrderPeriodTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]
    static let parameters: [String: RuleParameter.Kind] = ["legal_status": .codes, "most_days": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        addedUpPeriods(rows, status: run.codes("legal_status"), longerThan: run.number("most_days"), in: run)
    }

    /// The rows of periods of two or more episodes of a legal status of `status` whose days (end less start, each) add up to
    /// more than `limit`, found as the validator (363, 364) finds them: the child's episodes of the status
    /// alone, in order of start; one starting after the end of the one before it begins a new period. An
    /// open episode lasts to the end of the collection year, as in the validator.
    static func addedUpPeriods(_ rows: RuleRows, status: CodeSet, longerThan limit: Int, in run: RuleRun) -> [Int] {
        let end = run.endISO
        let episodes = SequenceRules.ordered(rows, by: 0).filter { status.contains(rows[$0][2] ?? "") && rows[$0][0] != nil }
        var periods: [[Int]] = []
        for (k, current) in episodes.enumerated() {
            // An episode continues the period unless it starts after the previous one ended.
            if k > 0, rows[current][0]! <= rows[episodes[k - 1]][1] ?? end {
                periods[periods.count - 1].append(current)
            } else {
                periods.append([current])
            }
        }
        var failing: [Int] = []
        for stretch in periods where stretch.count >= 2 {   // one episode alone is the row rule's (not a threshold)
            let days = stretch.reduce(0) { total, row in
                guard let start = rows[row][0].flatMap(CivilDate.init(iso:)),
                      let last = CivilDate(iso: rows[row][1] ?? end) else { return total }
                return total + last.days(since: start)
            }
            if days > limit { failing += stretch }
        }
        return failing.sorted()
    }
}
