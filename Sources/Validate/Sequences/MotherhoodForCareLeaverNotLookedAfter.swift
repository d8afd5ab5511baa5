/// DfE 628: MOTHER given for a care leaver (an OC3 row with any item) with no episodes in the return.
struct MotherhoodForCareLeaverNotLookedAfter: SequenceRule {
    static let fields = ["MOTHER"]
    static let others = [CareFacts.episodes: ["DECOM"], "ssda903.oc3": ["IN_TOUCH", "ACTIV", "ACCOM"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned(CareFacts.episodes), others[CareFacts.episodes].isEmpty, others["ssda903.oc3"].contains(where: { $0.contains { $0 != nil } }) else { return [] }
        return rows.indices.filter { rows[$0][0] != nil }
    }
}
