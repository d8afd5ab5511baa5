/// DfE 8898: an assessment has the same factor more than once; every such factor row fails (the validator
/// flags the assessment).
struct AssessmentFactorRepeated: SequenceRule {
    static let fields = ["referral", "assessment", "AssessmentFactors"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let groups = Dictionary(grouping: rows.indices.filter { rows[$0][2] != nil }) { rows[$0] }
        return groups.values.filter { $0.count > 1 }.flatMap { $0 }.sorted()
    }
}
