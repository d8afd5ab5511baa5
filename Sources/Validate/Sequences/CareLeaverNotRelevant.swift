import RCCCore

/// DfE 1001: care leaver information (an OC3 row) for a child whose episodes this year and last do not make
/// a relevant or former relevant child: at least `least_days` (91) days looked after since the `from_age`
/// (14th) birthday, some of it since the `also_after_age` (16th), not counting short breaks (the shared `short_breaks`:
/// LS V3, V4, of ssda903-definitions.yaml), and the latest episode not ending in adoption (`adoption`: REC E11, E12). As
/// csc-validator-be-903 reads it: both years' episodes together, one per start date (one with an end date
/// before one without, the earlier end first); the child's latest episode, when open, runs to 31 March; a
/// child with no such episodes fails. Unlike the validator, a child `judged_under_age` (20) or over at 31
/// March (or with no date of birth) is not judged: the validator's comment says it drops them, as two years
/// of episodes cannot show enough, but its left join then fails every one of them.
struct CareLeaverNotRelevant: PreviousYearSequenceRule {
    static let header = "ssda903.header"
    var fields: [String] { [] }
    var lastTable: String? { CareFacts.episodes }
    var lastFields: [String] { ["DECOM", "DEC", "LS", "REC"] }
    var others: [String: [String]] { [CareFacts.episodes: ["DECOM", "DEC", "LS", "REC"], Self.header: ["DOB"]] }
    var readsEveryLastRow: Bool { true }
    var parameters: [String: RuleParameter.Kind] {
        ["from_age": .number, "also_after_age": .number, "least_days": .number, "judged_under_age": .number,
         "adoption": .codes]
    }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int] {
        guard others.isReturned(CareFacts.episodes), others.isReturned(Self.header),
              let dob = others[Self.header].first?[0],
              let notJudged = CareFacts.adding(years: run.number("judged_under_age"), to: dob), notJudged > run.endISO,
              let from = CareFacts.adding(years: run.number("from_age"), to: dob),
              let alsoAfter = CareFacts.adding(years: run.number("also_after_age"), to: dob) else { return [] }
        // One episode per start date, of both years.
        var byStart: [String: [String?]] = [:]
        for row in others[CareFacts.episodes].arrays + lastRows.arrays {
            guard let start = row[0] else { continue }
            if let known = byStart[start] {
                if let end = row[1], known[1].map({ end < $0 }) ?? true { byStart[start] = row }
            } else {
                byStart[start] = row
            }
        }
        var episodes = byStart.values.sorted { $0[0]! < $1[0]! }
        if let latest = episodes.indices.last {
            if run.codes("adoption").contains(episodes[latest][3] ?? "") { return Array(rows.indices) }
            if episodes[latest][1] == nil { episodes[latest][1] = run.endISO }
        }
        let shortBreaks = run.codes("short_breaks")
        func days(since birthday: String) -> Int {
            episodes.filter { !shortBreaks.contains($0[2] ?? "") }.reduce(0) { total, episode in
                guard let end = episode[1].flatMap(CivilDate.init(iso:)),
                      let start = CivilDate(iso: max(episode[0]!, birthday)) else { return total }
                return total + max(0, end.dayNumber - start.dayNumber)
            }
        }
        // `>= 1`: some time looked after since the later birthday (any day), not a number the DfE chose.
        return days(since: from) >= run.number("least_days") && days(since: alsoAfter) >= 1 ? [] : Array(rows.indices)
    }
}
