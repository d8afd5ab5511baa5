/// DfE 8590: a child with no CIN episode (referral).
struct ChildWithoutReferral: SequenceRule {
    static let fields = ["LAchildID"]
    static let others = ["cin.referral": ["referral"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        others.isReturned("cin.referral") && others["cin.referral"].isEmpty ? Array(rows.indices) : []
    }
}
