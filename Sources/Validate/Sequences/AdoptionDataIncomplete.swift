import RCCCore

/// DfE 601: the child was adopted in the year (an episode ending in adoption, REC of `adopted`: E11, E12, in
/// the collection year) but an AD1 row leaves an item blank. The validator flags both rows.
enum AdoptionDataIncomplete {
    static let ad1 = "ssda903.ad1"
    static let ad1Fields = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
    /// What both read from their entries (and 602, AdoptionDataWithoutAdoption).
    static let parameters: [String: RuleParameter.Kind] = ["adopted": .codes]

    /// Whether an episode (cells: DEC, REC) ended in adoption in the year.
    static func adoptedInYear(_ run: RuleRun) -> (RuleRow) -> Bool {
        let adopted = run.codes("adopted")
        return { episode in
            guard let dec = episode[0], adopted.contains(episode[1] ?? "") else { return false }
            return dec >= run.startISO && dec <= run.endISO
        }
    }

    struct Episode: SequenceRule {
        static let fields = ["DEC", "REC"]
        static let others = [ad1: ad1Fields]
        static let parameters = AdoptionDataIncomplete.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let adopted = adoptedInYear(run)
            return SequenceRules.paired(rows, with: others[ad1]) { episode, adoption in
                adopted(episode) && adoption.contains { $0 == nil }
            }
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ad1Fields
        static let others = [CareFacts.episodes: ["DEC", "REC"]]
        static let parameters = AdoptionDataIncomplete.parameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let adopted = adoptedInYear(run)
            return SequenceRules.paired(rows, with: others[CareFacts.episodes]) { adoption, episode in
                adopted(episode) && adoption.contains { $0 == nil }
            }
        }
    }
}
