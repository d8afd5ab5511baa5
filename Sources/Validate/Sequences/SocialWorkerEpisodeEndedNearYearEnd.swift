import RCCCore

/// DfE SW11bSTG2: a social worker episode ended near the end of the year (on or after `days_before_year_end`
/// (5) days before 31 March: 26 March) and no later episode was provided, read as the validator reads it
/// (see its YAML).
struct SocialWorkerEpisodeEndedNearYearEnd: SequenceRule {
    static let fields = ["SW_DECOM", "SW_DEC"]
    static let parameters: [String: RuleParameter.Kind] = ["days_before_year_end": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let from = CivilDate(dayNumber: run.end.dayNumber - run.number("days_before_year_end"))!.iso, to = run.endISO
        func inWindow(_ date: String?) -> Bool { date.map { $0 >= from && $0 <= to } ?? false }
        var failing: Set<Int> = []
        if rows.count == 1 {
            if inWindow(rows[0][1]) { failing.insert(0) }
            return failing.sorted()
        }
        // In order of start (blanks last): an episode without a start after one ending in the window.
        let order = SequenceRules.ordered(rows, by: 0)
        for (previous, current) in zip(order, order.dropFirst()) where inWindow(rows[previous][1]) && rows[current][0] == nil {
            failing.insert(current)
        }
        // In reverse order of start (blanks still last): an episode ending in the window that started after
        // the one next to it in that order (its predecessor) started before it ended.
        let dated = order.filter { rows[$0][0] != nil }.reversed() + order.filter { rows[$0][0] == nil }
        let reverse = Array(dated)
        for (later, earlier) in zip(reverse, reverse.dropFirst()) {
            guard let end = rows[later][1], inWindow(end), let start = rows[earlier][0], start < end else { continue }
            failing.insert(later)
        }
        return failing.sorted()
    }
}
