/// DfE 4004: a referral of the child has more than one CIN plan without an end date (all its plans fail).
struct MoreThanOneOpenCINPlan: SequenceRule {
    static let fields = ["CINPlanEndDate", "referral"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let byReferral = Dictionary(grouping: rows.indices) { rows[$0][1] }
        return byReferral.values.filter { plans in plans.filter { rows[$0][0] == nil }.count > 1 }.flatMap { $0 }.sorted()
    }
}
