import RCCCore

/// DfE 331: the date the child was matched with its adopters (AD1's DATE_MATCH) is after the start of an
/// episode ending in adoption (REC of `adopted`: E11, E12). The validator flags both rows.
enum MatchedAfterAdoption {
    static let ad1 = "ssda903.ad1"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["adopted": .codes]

    /// Episode cells: DECOM, REC; AD1 cells: DATE_MATCH.
    static func test(_ run: RuleRun) -> (RuleRow, RuleRow) -> Bool {
        let adopted = run.codes("adopted")
        return { episode, adoption in
            guard adopted.contains(episode[1] ?? ""), let decom = episode[0], let match = adoption[0] else { return false }
            return match > decom
        }
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "REC"]
        static let others = [ad1: ["DATE_MATCH"]]
        static let parameters = MatchedAfterAdoption.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test(run))
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["DATE_MATCH"]
        static let others = [CareFacts.episodes: ["DECOM", "REC"]]
        static let parameters = MatchedAfterAdoption.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let pair = test(run)
            return SequenceRules.paired(rows, with: others[CareFacts.episodes]) { pair($1, $0) }
        }
    }
}
