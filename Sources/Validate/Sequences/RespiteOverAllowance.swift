import RCCCore

/// DfE 367: a child's respite (`respite`: V3) episodes add up to more than `most_days` (75) days in the
/// collection year.
struct RespiteOverAllowance: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]
    static let parameters: [String: RuleParameter.Kind] = ["respite": .codes, "most_days": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        // Each V3 episode's days within the year (its start and end cut to the year's); those with none
        // are left out, as the validator leaves them.
        let respite = run.codes("respite")
        var days: [Int: Int] = [:]
        for (i, row) in rows.enumerated() where respite.contains(row[2] ?? "") {
            guard let decom = row[0].flatMap(CivilDate.init(iso:)) else { continue }
            let start = max(decom, run.start)
            let end = min(row[1].flatMap(CivilDate.init(iso:)) ?? run.end, run.end)
            let n = end.days(since: start)
            if n > 0 { days[i] = n }
        }
        return days.values.reduce(0, +) > run.number("most_days") ? days.keys.sorted() : []
    }
}
