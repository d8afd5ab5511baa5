import RCCCore

/// DfE 521: the date the LA decided adoption was in the child's best interests (AD1's DATE_INT) is after the
/// start of a placement for adoption (PLACE of `adoption_placements`: A3-A6). The validator flags both rows.
enum AdoptionInterestAfterPlacement {
    static let ad1 = "ssda903.ad1"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = ["adoption_placements": .codes]

    /// Episode cells: DECOM, PLACE; AD1 cells: DATE_INT.
    static func test(_ run: RuleRun) -> (RuleRow, RuleRow) -> Bool {
        let adoption = run.codes("adoption_placements")
        return { episode, ad1 in
            guard adoption.contains(episode[1] ?? ""), let decom = episode[0], let interest = ad1[0] else { return false }
            return interest > decom
        }
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM", "PLACE"]
        static let others = [ad1: ["DATE_INT"]]
        static let parameters = AdoptionInterestAfterPlacement.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test(run))
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["DATE_INT"]
        static let others = [CareFacts.episodes: ["DECOM", "PLACE"]]
        static let parameters = AdoptionInterestAfterPlacement.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let pair = test(run)
            return SequenceRules.paired(rows, with: others[CareFacts.episodes]) { pair($1, $0) }
        }
    }
}
