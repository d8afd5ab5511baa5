import RCCCore

/// DfE 630: an episode starting a period of care (RNE of `period_start`: S) in the collection year without
/// previous permanence information: no PrevPerm row, or one without PREV_PERM, or one other than those of
/// `no_permanence` (Z1) without LA_PERM or DATE_PERM.
struct PreviousPermanenceMissing: SequenceRule {
    static let fields = ["DECOM", "RNE"]
    static let others = ["ssda903.prev_perm": ["PREV_PERM", "LA_PERM", "DATE_PERM"]]
    static let parameters: [String: RuleParameter.Kind] = ["period_start": .codes, "no_permanence": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("ssda903.prev_perm") else { return [] }
        let noPermanence = run.codes("no_permanence")
        let permanence = others["ssda903.prev_perm"]
        let missing = permanence.isEmpty || permanence.contains { p in
            guard let code = p[0] else { return true }
            return !noPermanence.contains(code) && (p[1] == nil || p[2] == nil)
        }
        guard missing else { return [] }
        let periodStart = run.codes("period_start")
        return rows.indices.filter { periodStart.contains(rows[$0][1] ?? "") && (rows[$0][0].map { $0 >= run.startISO } ?? false) }
    }
}
