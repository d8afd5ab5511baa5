/// DfE 364 (the part over several episodes): a period of PACE detention (J2) episodes adds up to more than 21 days.
struct PACEDetentionPeriodTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]

    static func failing(_ rows: [[String?]], in run: RuleRun) -> [Int] {
        ChildAssessmentOrderPeriodTooLong.addedUpPeriods(rows, status: "J2", longerThan: 21, in: run)
    }
}
