import RCCCore

/// DfE 335: an episode ending in adoption (REC of `adopted`: E1, E11, E12) in a placement for adoption with
/// the current foster carers (PLACE of `with_foster_carers`: A2, A3, A5) while AD1's FOSTER_CARE is
/// `foster_care_no` (0), or not with them (`not_with_foster_carers`: A1, A4, A6) while it is `foster_care_yes`
/// (1). The validator flags both rows.
enum FosterCareDisagreesWithPlacement {
    static let ad1 = "ssda903.ad1"
    /// What both read from their entries.
    static let parameters: [String: RuleParameter.Kind] = [
        "adopted": .codes, "with_foster_carers": .codes, "not_with_foster_carers": .codes,
        "foster_care_no": .code, "foster_care_yes": .code,
    ]

    /// Episode cells: PLACE, REC; AD1 cells: FOSTER_CARE.
    static func test(_ run: RuleRun) -> (RuleRow, RuleRow) -> Bool {
        let adopted = run.codes("adopted"), with = run.codes("with_foster_carers"), without = run.codes("not_with_foster_carers")
        let no = run.code("foster_care_no"), yes = run.code("foster_care_yes")
        return { episode, adoption in
            guard adopted.contains(episode[1] ?? ""), let place = episode[0] else { return false }
            return (with.contains(place) && adoption[0] == no) || (without.contains(place) && adoption[0] == yes)
        }
    }

    struct Episode: SequenceRule {
        static let fields = ["PLACE", "REC"]
        static let others = [ad1: ["FOSTER_CARE"]]
        static let parameters = FosterCareDisagreesWithPlacement.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1], test(run))
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ["FOSTER_CARE"]
        static let others = [CareFacts.episodes: ["PLACE", "REC"]]
        static let parameters = FosterCareDisagreesWithPlacement.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let pair = test(run)
            return SequenceRules.paired(rows, with: others[CareFacts.episodes]) { pair($1, $0) }
        }
    }
}
