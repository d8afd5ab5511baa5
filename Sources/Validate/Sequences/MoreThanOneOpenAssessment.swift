/// DfE 8896: a referral has two or more assessments without an authorisation date (all its assessments fail).
struct MoreThanOneOpenAssessment: SequenceRule {
    static let fields = ["AssessmentAuthorisationDate", "referral"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let byReferral = Dictionary(grouping: rows.indices) { rows[$0][1] }
        return byReferral.values.filter { assessments in assessments.filter { rows[$0][0] == nil }.count > 1 }.flatMap { $0 }.sorted()
    }
}
