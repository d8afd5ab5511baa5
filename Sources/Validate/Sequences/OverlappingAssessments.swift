/// DfE 8863Q: an assessment of a referral starts while another of its assessments is going on (on or
/// before that one's authorisation, or the census date when it has none).
struct OverlappingAssessments: SequenceRule {
    static let fields = ["AssessmentActualStartDate", "AssessmentAuthorisationDate", "referral"]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        SequenceRules.overlapping(rows, start: 0, end: 1, group: 2, reference: run.endISO, duplicates: true)
    }
}
