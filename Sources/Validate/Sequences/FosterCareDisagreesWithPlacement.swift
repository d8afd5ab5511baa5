/// DfE 335: an episode ending E1, E11 or E12 in a placement for adoption with the current foster carers
/// (A2, A3, A5) while AD1's FOSTER_CARE is 0, or not with them (A1, A4, A6) while it is 1. The validator
/// flags both rows.
enum FosterCareDisagreesWithPlacement {
    static let ad1 = "ssda903.ad1"
    /// Episode cells: PLACE, REC; AD1 cells: FOSTER_CARE.
    static func test(_ episode: [String?], _ adoption: [String?]) -> Bool {
        guard ["E1", "E11", "E12"].contains(episode[1] ?? ""), let place = episode[0] else { return false }
        return (["A2", "A3", "A5"].contains(place) && adoption[0] == "0") || (["A1", "A4", "A6"].contains(place) && adoption[0] == "1")
    }

    struct Episode: SequenceRule {
        static let fields = ["PLACE", "REC"]
        static let others = [ad1: ["FOSTER_CARE"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test)
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["FOSTER_CARE"]
        static let others = [CareFacts.episodes: ["PLACE", "REC"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[CareFacts.episodes]) { test($1, $0) }
        }
    }
}
