import RCCCore

/// DfE 364 (the part over several episodes): a period of PACE detention (`legal_status`: J2) episodes adds up to more than `most_days` (21) days.
struct PACEDetentionPeriodTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]
    static let parameters: [String: RuleParameter.Kind] = ["legal_status": .codes, "most_days": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        ChildAssessmentOrderPeriodTooLong.addedUpPeriods(rows, status: run.codes("legal_status"), longerThan: run.number("most_days"), in: run)
    }
}
