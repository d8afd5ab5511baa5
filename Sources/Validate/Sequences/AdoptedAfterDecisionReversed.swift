/// DfE 525: a decision that the child should no longer be placed for adoption (PlacedAdoption's
/// DATE_PLACED_CEASED) and adoption data (an AD1 row with any item). The validator flags both rows.
enum AdoptedAfterDecisionReversed {
    static let ad1 = "ssda903.ad1", placed = "ssda903.placed_adoption"
    static let ad1Fields = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
    static func test(_ decision: RuleRow, _ adoption: RuleRow) -> Bool {
        decision[0] != nil && adoption.contains { $0 != nil }
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED_CEASED"]
        static let others = [ad1: ad1Fields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test)
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ad1Fields
        static let others = [placed: ["DATE_PLACED_CEASED"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[placed]) { test($1, $0) }
        }
    }
}
