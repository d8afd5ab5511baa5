import RCCCore

/// DfE 8825Q: a CIN episode closed after assessment (`closed_after_assessment`: RC8 or RC9) has no assessment.
struct ClosedAfterAssessmentWithoutAssessment: SequenceRule {
    static let fields = ["referral", "ReasonForClosure"]
    static let others = ["cin.assessment": ["referral"]]
    static let parameters: [String: RuleParameter.Kind] = ["closed_after_assessment": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("cin.assessment") else { return [] }
        let closedAfterAssessment = run.codes("closed_after_assessment")
        let assessed = Set(others["cin.assessment"].map { $0[0] })
        return rows.indices.filter { closedAfterAssessment.contains(rows[$0][1] ?? "") && !assessed.contains(rows[$0][0]) }
    }
}
