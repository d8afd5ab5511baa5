import RCCCore

/// DfE 8897Q: an assessment authorised in the collection year has no factor (none of `factors`, the codes
/// the validator lists: every factor code but 8A, the newer 18A/19A splits among them).
struct CompletedAssessmentWithoutFactors: SequenceRule {
    static let fields = ["referral", "assessment", "AssessmentAuthorisationDate"]
    static let others = ["cin.assessment_factor": ["referral", "assessment", "AssessmentFactors"]]
    static let parameters: [String: RuleParameter.Kind] = ["factors": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let factors = others["cin.assessment_factor"], codes = run.codes("factors")
        return rows.indices.filter { i in
            guard let authorised = rows[i][2], authorised >= run.startISO else { return false }
            return !factors.contains { $0[0] == rows[i][0] && $0[1] == rows[i][1] && codes.contains($0[2] ?? "") }
        }
    }
}
