import RCCCore

/// DfE 580: an episode ends on the child's `leaving_age` (18th) birthday, the day a missing period also
/// ends, with a reason other than those of `reasons` (E8).
struct MissingAtEighteenNotE8: SequenceRule {
    static let fields = ["DEC", "REC"]
    static let others = ["ssda903.missing": ["DOB", "MIS_END"]]
    static let parameters: [String: RuleParameter.Kind] = ["leaving_age": .number, "reasons": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let leavingAge = run.number("leaving_age"), reasons = run.codes("reasons")
        let endsAtLeavingAge = Set(others["ssda903.missing"].compactMap { m -> String? in
            guard let end = m[1], CareFacts.adding(years: leavingAge, to: m[0]) == end else { return nil }
            return end
        })
        return rows.indices.filter { i in
            guard let dec = rows[i][0], endsAtLeavingAge.contains(dec) else { return false }
            return !reasons.contains(rows[i][1] ?? "")
        }
    }
}
