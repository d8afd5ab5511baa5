import RCCCore

/// DfE 582: an episode ending in adoption (REC `adoption`: E11 or E12) on the date the child was matched
/// with the adopters (AD1 DATE_MATCH). As csc-validator-be-903 reads it: the child's AD1 row (one a child),
/// when the return has one.
struct AdoptedOnMatchDate: SequenceRule {
    static let ad1 = "ssda903.ad1"
    static let fields = ["REC", "DEC"]
    static let others = [ad1: ["DATE_MATCH"]]
    static let parameters: [String: RuleParameter.Kind] = ["adoption": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let matched = Set(others[ad1].compactMap { $0[0] })
        guard !matched.isEmpty else { return [] }
        let adoption = run.codes("adoption")
        return rows.indices.filter { i in
            adoption.contains(rows[i][0] ?? "") && rows[i][1].map(matched.contains) == true
        }
    }
}
