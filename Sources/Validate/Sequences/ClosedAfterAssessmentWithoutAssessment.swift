/// DfE 8825Q: a CIN episode closed RC8 or RC9 (after assessment) has no assessment.
struct ClosedAfterAssessmentWithoutAssessment: SequenceRule {
    static let fields = ["referral", "ReasonForClosure"]
    static let others = ["cin.assessment": ["referral"]]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("cin.assessment") else { return [] }
        let assessed = Set(others["cin.assessment"].map { $0[0] })
        return rows.indices.filter { ["RC8", "RC9"].contains(rows[$0][1] ?? "") && !assessed.contains(rows[$0][0]) }
    }
}
