import RCCCore

/// DfE 199: a child adopted from care (an episode ended with REC `adoption`: E11 or E12) has no episode
/// after it, this year or last. As csc-validator-be-903 reads it, over last year's episodes and this year's
/// in order of start: every episode after the first adoption fails. Last year is read as its latest episode
/// (the one an adoption ends, in a sound return).
struct EpisodeAfterAdoption: PreviousYearSequenceRule {
    let fields = ["DECOM", "REC"]
    let lastFields = ["REC"]
    var parameters: [String: RuleParameter.Kind] { ["adoption": .codes] }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int] {
        let adoption = run.codes("adoption")
        var adopted = last?[0].map(adoption.contains) ?? false
        var failing: [Int] = []
        for i in SequenceRules.ordered(rows, by: 0) where rows[i][0] != nil {
            if adopted { failing.append(i) }
            if let rec = rows[i][1], adoption.contains(rec) { adopted = true }
        }
        return failing.sorted()
    }
}
