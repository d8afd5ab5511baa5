import RCCCore

/// DfE 1000: care leaver information (an OC3 row) for a child recorded as having died in care, an episode
/// ending with REC `died` (E2), this year (this rule) or last year (`CareLeaverDiedInCareLastYear`). As
/// csc-validator-be-903 reads it: any of the child's episodes this year; only when the return has
/// episodes at all.
struct CareLeaverDiedInCare: SequenceRule {
    static let fields = ["CHILD"]
    static let others = [CareFacts.episodes: ["REC"]]
    static let parameters: [String: RuleParameter.Kind] = ["died": .code]

    static func diedInCare(_ others: ChildRows, died: String) -> Bool {
        others[CareFacts.episodes].contains { $0[0] == died }
    }

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        diedInCare(others, died: run.code("died")) ? Array(rows.indices) : []
    }
}

/// DfE 1000, last year's part: the child's latest episode in last year's return ended with REC `died` (E2).
/// The validator reads every episode of last year; rcc keeps the child's latest, which an episode ending
/// in death is. A child whose episodes this year end in E2 too is `CareLeaverDiedInCare`'s (one finding).
struct CareLeaverDiedInCareLastYear: PreviousYearSequenceRule {
    var fields: [String] { [] }
    var lastTable: String? { CareFacts.episodes }
    var lastFields: [String] { ["REC"] }
    var others: [String: [String]] { CareLeaverDiedInCare.others }
    var parameters: [String: RuleParameter.Kind] { CareLeaverDiedInCare.parameters }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int] {
        let died = run.code("died")
        guard others.isReturned(CareFacts.episodes), let last, last[0] == died,
              !CareLeaverDiedInCare.diedInCare(others, died: died) else { return [] }
        return Array(rows.indices)
    }
}
