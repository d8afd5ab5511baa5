import RCCCore

/// DfE 502, 503A-F (Episodes), SW16aSTG2-SW16cSTG2 (SWEpisodes), 576 (Missing): when the child's latest
/// row last year was still open (no end date), the child's first row this year (by start date) carries on
/// from it, so has the same `field`. As csc-validator-be-903 reads them (`field_different_from_previous`):
/// blank and blank agree, blank and a value differ; the latest row last year is the one compared.
struct FirstRowDiffersFromOpenLast: PreviousYearSequenceRule {
    /// The table's start and end dates, and the field compared.
    let start: String, end: String, field: String
    /// Whether codes of `field` were recoded between the years (503D, PLACE): its entry then gives
    /// `recoded`, this year's codes mapped to last year's each stands for (placement H5 became K3 in
    /// 2023-24; Z1 became Z11-Z14 in 2025-26), and this year's code with one of those is no difference.
    var recodes = false

    var fields: [String] { field == start ? [start] : [start, field] }
    var lastFields: [String] { [end, field] }
    var parameters: [String: RuleParameter.Kind] { recodes ? ["recoded": .mapping] : [:] }

    /// Without the run (no `recoded`), codes are compared as they are.
    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { failing(rows, last: last, recoded: [:]) }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int] {
        failing(rows, last: last, recoded: recodes ? run.mapping("recoded") : [:])
    }

    func failing(_ rows: RuleRows, last: [String?]?, recoded: [String: [String]]) -> [Int] {
        guard let last, last[0] == nil else { return [] }
        guard let first = SequenceRules.ordered(rows, by: 0).first(where: { rows[$0][0] != nil }) else { return [] }
        let now = rows[first][fields.count - 1], was = last[1]
        if now == was { return [] }
        if let now, let was, recoded[now]?.contains(was) ?? false { return [] }
        return [first]
    }
}
