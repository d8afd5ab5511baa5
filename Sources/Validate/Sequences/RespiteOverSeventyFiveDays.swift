import RCCCore

/// DfE 367: a child's respite (V3) episodes add up to more than 75 days in the collection year.
struct RespiteOverSeventyFiveDays: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]

    static func failing(_ rows: [[String?]], in period: CollectionPeriod) -> [Int] {
        // Each V3 episode's days within the year (its start and end cut to the year's); those with none
        // are left out, as the validator leaves them.
        var days: [Int: Int] = [:]
        for (i, row) in rows.enumerated() where row[2] == "V3" {
            guard let decom = row[0].flatMap(CivilDate.init(iso:)) else { continue }
            let start = max(decom, period.start)
            let end = min(row[1].flatMap(CivilDate.init(iso:)) ?? period.end, period.end)
            let n = end.days(since: start)
            if n > 0 { days[i] = n }
        }
        return days.values.reduce(0, +) > 75 ? days.keys.sorted() : []
    }
}
