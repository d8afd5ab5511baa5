import RCCCore

/// DfE 558: a child adopted (episodes ending with a REC of `adopted`: E11, E12) whose decisions that it
/// should be placed for adoption all give a date it should no longer be (DATE_PLACED_CEASED), read as the
/// validator reads it: the adoption episodes fail only when there is more than one pairing of an adoption
/// episode with such a decision (so one adoption with one ceased decision passes).
struct AdoptedWithDecisionCeased: SequenceRule {
    static let fields = ["REC"]
    static let others = ["ssda903.placed_adoption": ["DATE_PLACED_CEASED"]]
    static let parameters: [String: RuleParameter.Kind] = ["adopted": .codes]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        let codes = run.codes("adopted")
        let adopted = rows.indices.filter { codes.contains(rows[$0][0] ?? "") }
        let decisions = others["ssda903.placed_adoption"]
        guard !adopted.isEmpty, !decisions.isEmpty, decisions.allSatisfy({ $0[0] != nil }),
              // Not a DfE threshold: how the validator's merge reads (more than one pairing fails; see above).
              adopted.count * decisions.count > 1 else { return [] }
        return adopted
    }
}
