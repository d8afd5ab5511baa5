/// DfE 630: an episode starting a period of care (RNE S) in the collection year without previous
/// permanence information: no PrevPerm row, or one without PREV_PERM, or one other than Z1 without
/// LA_PERM or DATE_PERM.
struct PreviousPermanenceMissing: SequenceRule {
    static let fields = ["DECOM", "RNE"]
    static let others = ["ssda903.prev_perm": ["PREV_PERM", "LA_PERM", "DATE_PERM"]]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("ssda903.prev_perm") else { return [] }
        let permanence = others["ssda903.prev_perm"]
        let missing = permanence.isEmpty || permanence.contains { $0[0] == nil || ($0[0] != "Z1" && ($0[1] == nil || $0[2] == nil)) }
        guard missing else { return [] }
        return rows.indices.filter { rows[$0][1] == "S" && (rows[$0][0].map { $0 >= run.startISO } ?? false) }
    }
}
