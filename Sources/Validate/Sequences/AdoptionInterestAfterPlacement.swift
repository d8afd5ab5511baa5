/// DfE 521: the date the LA decided adoption was in the child's best interests (AD1's DATE_INT) is after the
/// start of a placement for adoption (A3-A6). The validator flags both rows.
enum AdoptionInterestAfterPlacement {
    static let ad1 = "ssda903.ad1"
    /// Episode cells: DECOM, PLACE; AD1 cells: DATE_INT.
    static func test(_ episode: [String?], _ adoption: [String?]) -> Bool {
        guard ["A3", "A4", "A5", "A6"].contains(episode[1] ?? ""), let decom = episode[0], let interest = adoption[0] else { return false }
        return interest > decom
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "PLACE"]
        static let others = [ad1: ["DATE_INT"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test)
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["DATE_INT"]
        static let others = [CareFacts.episodes: ["DECOM", "PLACE"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[CareFacts.episodes]) { test($1, $0) }
        }
    }
}
