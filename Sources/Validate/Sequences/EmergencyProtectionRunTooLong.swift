import RCCCore

/// DfE 362 (the part over several episodes): a run of emergency protection order (`legal_status`: L2) episodes lasts more than `most_days` (21) days from its first start to its last end.
struct EmergencyProtectionRunTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]
    static let parameters: [String: RuleParameter.Kind] = ["legal_status": .codes, "most_days": .number]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        PoliceProtectionRunTooLong.flowingRuns(rows, status: run.codes("legal_status"), longerThan: run.number("most_days"), in: run)
    }
}
