/// DfE 523: the date of the decision that the child should be placed for adoption (PlacedAdoption's
/// DATE_PLACED) differs from the date the LA decided adoption was in its best interests (AD1's DATE_INT).
/// The validator flags both rows.
enum AdoptionDecisionDatesDiffer {
    static let ad1 = "ssda903.ad1", placed = "ssda903.placed_adoption"
    static func test(_ decision: RuleRow, _ adoption: RuleRow) -> Bool {
        guard let placedDate = decision[0], let interest = adoption[0] else { return false }
        return placedDate != interest
    }

    struct Decision: SequenceRule {
        static let fields = ["DATE_PLACED"]
        static let others = [ad1: ["DATE_INT"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test)
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["DATE_INT"]
        static let others = [placed: ["DATE_PLACED"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[placed]) { test($1, $0) }
        }
    }
}
