/// DfE 2991Q: a section 47 enquiry in a referral with no assessment.
struct Section47WithoutAssessment: SequenceRule {
    static let fields = ["referral"]
    static let others = ["cin.assessment": ["referral"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("cin.assessment") else { return [] }
        let assessed = Set(others["cin.assessment"].map { $0[0] })
        return rows.indices.filter { !assessed.contains(rows[$0][0]) }
    }
}
