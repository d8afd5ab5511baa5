/// DfE 377: a child has at most two temporary placements for the foster carer's holiday (T3) in the return.
struct TooManyFosterCarerHolidayPlacements: SequenceRule {
    static let fields = ["PLACE"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let holidays = rows.indices.filter { rows[$0][0] == "T3" }
        return holidays.count > 2 ? holidays : []
    }
}
