import RCCCore

/// DfE 8869: an assessment has factor `no_factors` (21: no factors identified) with other factors (the
/// other factors fail).
struct AssessmentFactor21WithOthers: SequenceRule {
    static let fields = ["AssessmentFactors", "referral", "assessment"]
    static let parameters: [String: RuleParameter.Kind] = ["no_factors": .code]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let noFactors = run.code("no_factors")
        let byAssessment = Dictionary(grouping: rows.indices) { [rows[$0][1], rows[$0][2]] }
        return byAssessment.values.filter { factors in factors.contains { rows[$0][0] == noFactors } }
            .flatMap { factors in factors.filter { rows[$0][0] != noFactors } }.sorted()
    }
}
