/// DfE 8869: an assessment has factor 21 with other factors (the other factors fail).
struct AssessmentFactor21WithOthers: SequenceRule {
    static let fields = ["AssessmentFactors", "referral", "assessment"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let byAssessment = Dictionary(grouping: rows.indices) { [rows[$0][1], rows[$0][2]] }
        return byAssessment.values.filter { factors in factors.contains { rows[$0][0] == "21" } }
            .flatMap { factors in factors.filter { rows[$0][0] != "21" } }.sorted()
    }
}
