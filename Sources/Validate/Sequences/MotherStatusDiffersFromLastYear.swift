import RCCCore

/// DfE 207: a child recorded as a mother (MOTHER of `mother`: 1) last year whose MOTHER this year is anything
/// else, blank included, when the child has episodes this year (as the validator reads it: a child in both
/// years' Headers without episodes this year is not looked at). The validator flags the Header row.
struct MotherStatusDiffersFromLastYear: SequenceRule {
    static let fields = ["MOTHER"]
    static let others = [CareFacts.episodes: ["DECOM"]]
    static let last = ["ssda903.header": ["MOTHER"]]
    static let parameters: [String: RuleParameter.Kind] = ["mother": .code]

    static func failing(_ rows: RuleRows, others: ChildRows, last: ChildRows, in run: RuleRun) -> [Int] {
        let mother = run.code("mother")
        guard !others[CareFacts.episodes].isEmpty, let before = last["ssda903.header"].first, before[0] == mother else { return [] }
        return rows.indices.filter { rows[$0][0] != mother }
    }
}
