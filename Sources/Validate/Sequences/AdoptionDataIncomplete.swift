/// DfE 601: the child was adopted in the year (an episode ending E11 or E12 in the collection year) but an
/// AD1 row leaves an item blank. The validator flags both rows.
enum AdoptionDataIncomplete {
    static let ad1 = "ssda903.ad1"
    static let ad1Fields = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]

    /// Episode cells: DEC, REC.
    static func adoptedInYear(_ episode: [String?], _ run: RuleRun) -> Bool {
        guard let dec = episode[0], ["E11", "E12"].contains(episode[1] ?? "") else { return false }
        return dec >= run.startISO && dec <= run.endISO
    }

    struct Episode: SequenceRule {
        static let fields = ["DEC", "REC"]
        static let others = [ad1: ad1Fields]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[ad1]) { episode, adoption in
                adoptedInYear(episode, run) && adoption.contains { $0 == nil }
            }
        }
    }

    struct Adoption: SequenceRule {
        static let fields = ad1Fields
        static let others = [CareFacts.episodes: ["DEC", "REC"]]
        static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
            SequenceRules.paired(rows, with: others[CareFacts.episodes]) { adoption, episode in
                adoptedInYear(episode, run) && adoption.contains { $0 == nil }
            }
        }
    }
}
