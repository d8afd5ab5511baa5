import RCCCore

/// DfE 363 (the part over several episodes): a period of child assessment order (L3) episodes adds up to more than 7 days.
struct ChildAssessmentOrderPeriodTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]

    static func failing(_ rows: [[String?]]) -> [Int] { addedUpPeriods(rows, status: "L3", longerThan: 7) }

    /// The rows of periods of two or more episodes of `status` whose days (end less start, each) add up to
    /// more than `limit`, found as the validator (363, 364) finds them: the child's episodes of the status
    /// alone, in order of start; one starting after the end of the one before it begins a new period. An
    /// open episode is taken to last to the child's latest date in the return (the year's end, which the
    /// validator takes, is no earlier), and the next one continues its period.
    static func addedUpPeriods(_ rows: [[String?]], status: String, longerThan limit: Int) -> [Int] {
        let latest = rows.flatMap { [$0[0], $0[1]] }.compactMap { $0 }.max()
        let episodes = SequenceRules.ordered(rows, by: 0).filter { rows[$0][2] == status && rows[$0][0] != nil }
        var periods: [[Int]] = []
        for (k, current) in episodes.enumerated() {
            // An episode continues the period unless it starts after the previous one ended (open: not ended).
            if k > 0, rows[episodes[k - 1]][1].map({ rows[current][0]! <= $0 }) ?? true {
                periods[periods.count - 1].append(current)
            } else {
                periods.append([current])
            }
        }
        var failing: [Int] = []
        for period in periods where period.count >= 2 {
            let days = period.reduce(0) { total, row in
                guard let start = rows[row][0].flatMap(CivilDate.init(iso:)),
                      let end = (rows[row][1] ?? latest).flatMap(CivilDate.init(iso:)) else { return total }
                return total + end.days(since: start)
            }
            if days > limit { failing += period }
        }
        return failing.sorted()
    }
}
