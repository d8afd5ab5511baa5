/// DfE 331: the date the child was matched with its adopters (AD1's DATE_MATCH) is after the start of an
/// episode ending in adoption (REC E11, E12). The validator flags both rows.
enum MatchedAfterAdoption {
    static let ad1 = "ssda903.ad1"
    /// Episode cells: DECOM, REC; AD1 cells: DATE_MATCH.
    static func test(_ episode: [String?], _ adoption: [String?]) -> Bool {
        guard ["E11", "E12"].contains(episode[1] ?? ""), let decom = episode[0], let match = adoption[0] else { return false }
        return match > decom
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "REC"]
        static let others = [ad1: ["DATE_MATCH"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test)
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["DATE_MATCH"]
        static let others = [CareFacts.episodes: ["DECOM", "REC"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[CareFacts.episodes]) { test($1, $0) }
        }
    }
}
