/// DfE 362 (the part over several episodes): a run of emergency protection order (L2) episodes lasts more than 21 days from its first start to its last end.
struct EmergencyProtectionRunTooLong: SequenceRule {
    static let fields = ["DECOM", "DEC", "LS"]

    static func failing(_ rows: [[String?]], in run: RuleRun) -> [Int] {
        PoliceProtectionRunTooLong.flowingRuns(rows, status: "L2", longerThan: 21, in: run)
    }
}
