/// DfE 8935: two or more of a child's protection plans with the same number in their referrals have no end date.
struct MoreThanOneOpenProtectionPlan: SequenceRule {
    static let fields = ["CPPendDate", "protection_plan"]

    static func failing(_ rows: RuleRows) -> [Int] {
        // As the validator groups them: by the plan's number within its referral, across the child's referrals.
        let byNumber = Dictionary(grouping: rows.indices) { rows[$0][1] }
        return byNumber.values.filter { plans in plans.filter { rows[$0][0] == nil }.count > 1 }.flatMap { $0 }.sorted()
    }
}
