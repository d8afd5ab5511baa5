import RCCCore

/// DfE 377: a child has at most `most_placements` (2) temporary placements for the foster carer's holiday
/// (`holiday`: T3) in the return.
struct TooManyFosterCarerHolidayPlacements: SequenceRule {
    static let fields = ["PLACE"]
    static let parameters: [String: RuleParameter.Kind] = ["holiday": .codes, "most_placements": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let holiday = run.codes("holiday")
        let holidays = rows.indices.filter { holiday.contains(rows[$0][0] ?? "") }
        return holidays.count > run.number("most_placements") ? holidays : []
    }
}
