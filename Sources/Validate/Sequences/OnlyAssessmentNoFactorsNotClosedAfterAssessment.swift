import RCCCore

/// DfE 8873Q: the only assessment of a referral has factor `no_factors` (21: no factors identified) but the
/// referral is not closed after assessment (`closed_after_assessment`: RC8 or RC9; as the validator reads it,
/// an open referral too).
struct OnlyAssessmentNoFactorsNotClosedAfterAssessment: SequenceRule {
    static let fields = ["referral", "assessment"]
    static let others = ["cin.assessment_factor": ["referral", "assessment", "AssessmentFactors"],
                         "cin.referral": ["referral", "ReasonForClosure"]]
    static let parameters: [String: RuleParameter.Kind] = ["no_factors": .code, "closed_after_assessment": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let noFactorsCode = run.code("no_factors"), closedAfterAssessmentCodes = run.codes("closed_after_assessment")
        let perReferral = Dictionary(grouping: rows.indices) { rows[$0][0] }
        return rows.indices.filter { i in
            guard perReferral[rows[i][0]]?.count == 1 else { return false }
            // As the validator tests it: the factor's text contains the code.
            let noFactors = others["cin.assessment_factor"].contains {
                $0[0] == rows[i][0] && $0[1] == rows[i][1] && ($0[2]?.contains(noFactorsCode) ?? false)
            }
            let closedAfterAssessment = others["cin.referral"].contains {
                $0[0] == rows[i][0] && closedAfterAssessmentCodes.contains($0[1] ?? "")
            }
            return noFactors && !closedAfterAssessment
        }
    }
}
