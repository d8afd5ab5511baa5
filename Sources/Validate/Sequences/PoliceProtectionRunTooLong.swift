import RCCCore

/// DfE 361 (the part over several episodes): a run of police protection (`legal_status`: L1) episodes lasts more than `most_days` (3) days from its first start to its last end.
struct PoliceProtectionRunTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]
    static let parameters: [String: RuleParameter.Kind] = ["legal_status": .codes, "most_days": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        flowingRuns(rows, status: run.codes("legal_status"), longerThan: run.number("most_days"), in: run)
    }

    /// The rows of runs of two or more episodes of a legal status of `status` lasting more than `limit` days, from the
    /// earliest start to the latest end, run as the validator (361, 362) runs them: in order of start, an
    /// episode of the status joins the run of the one of that status before it when that one ended the
    /// day the episode after it (whatever its status) started. An open episode lasts to the end of the
    /// collection year, as in the validator.
    static func flowingRuns(_ rows: RuleRows, status: CodeSet, longerThan limit: Int, in run: RuleRun) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        let end = run.endISO
        var runs: [[Int]] = []
        var flowed = false
        for (k, row) in order.enumerated() where status.contains(rows[row][2] ?? "") && rows[row][0] != nil {
            if flowed, !runs.isEmpty { runs[runs.count - 1].append(row) } else { runs.append([row]) }
            let next = k + 1 < order.count ? rows[order[k + 1]][0] : nil
            flowed = (rows[row][1] ?? end) == next
        }
        var failing: [Int] = []
        for stretch in runs where stretch.count >= 2 {   // one episode alone is the row rule's (not a threshold)
            let open = stretch.contains { rows[$0][1] == nil }
            guard let first = stretch.compactMap({ rows[$0][0] }).min().flatMap(CivilDate.init(iso:)),
                  let last = (open ? end : stretch.compactMap({ rows[$0][1] }).max()).flatMap(CivilDate.init(iso:))
            else { continue }
            if last.days(since: first) > limit { failing += stretch }
        }
        return failing.sorted()
    }
}
