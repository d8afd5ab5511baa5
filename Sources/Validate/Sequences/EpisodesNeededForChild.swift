import RCCCore

/// EPI (the validator's own warning, no DfE number): a child in the Header with no episodes and no care
/// leaver (OC3) row, so nothing more can be checked for the child. As csc-validator-be-903 reads it: also
/// when the return has no episodes (or no OC3) at all.
struct EpisodesNeededForChild: SequenceRule {
    static let oc3 = "ssda903.oc3"
    static let fields = ["CHILD"]
    static let others = [CareFacts.episodes: ["DECOM"], oc3: ["CHILD"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        others[CareFacts.episodes].isEmpty && others[oc3].isEmpty ? Array(rows.indices) : []
    }
}
