import RCCCore

/// DfE 1001: care leaver information (an OC3 row) for a child whose episodes this year and last do not make
/// a relevant or former relevant child: at least 91 days looked after since the 14th birthday, some of it
/// since the 16th, not counting short breaks (V3, V4), and the latest episode not ending in adoption (E11,
/// E12). As csc-validator-be-903 reads it: both years' episodes together, one per start date (one with an
/// end date before one without, the earlier end first); the child's latest episode, when open, runs to 31
/// March; a child with no such episodes fails. Unlike the validator, a child 20 or over at 31 March (or with
/// no date of birth) is not judged: the validator's comment says it drops them, as two years of episodes
/// cannot show enough, but its left join then fails every one of them.
struct CareLeaverNotRelevant: PreviousYearSequenceRule {
    static let header = "ssda903.header"
    var fields: [String] { [] }
    var lastTable: String? { CareFacts.episodes }
    var lastFields: [String] { ["DECOM", "DEC", "LS", "REC"] }
    var others: [String: [String]] { [CareFacts.episodes: ["DECOM", "DEC", "LS", "REC"], Self.header: ["DOB"]] }
    var readsEveryLastRow: Bool { true }

    func failing(_ rows: [[String?]], last: [String?]?) -> [Int] { [] }

    func failing(_ rows: [[String?]], others: ChildRows, last: [String?]?, lastRows: [[String?]], postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int] {
        guard others.isReturned(CareFacts.episodes), others.isReturned(Self.header),
              let dob = others[Self.header].first?[0],
              let twenty = CareFacts.adding(years: 20, to: dob), twenty > run.endISO,
              let from14 = CareFacts.adding(years: 14, to: dob), let from16 = CareFacts.adding(years: 16, to: dob) else { return [] }
        // One episode per start date, of both years.
        var byStart: [String: [String?]] = [:]
        for row in others[CareFacts.episodes] + lastRows {
            guard let start = row[0] else { continue }
            if let known = byStart[start] {
                if let end = row[1], known[1].map({ end < $0 }) ?? true { byStart[start] = row }
            } else {
                byStart[start] = row
            }
        }
        var episodes = byStart.values.sorted { $0[0]! < $1[0]! }
        if let latest = episodes.indices.last {
            if ["E11", "E12"].contains(episodes[latest][3] ?? "") { return Array(rows.indices) }
            if episodes[latest][1] == nil { episodes[latest][1] = run.endISO }
        }
        func days(since birthday: String) -> Int {
            episodes.filter { !["V3", "V4"].contains($0[2] ?? "") }.reduce(0) { total, episode in
                guard let end = episode[1].flatMap(CivilDate.init(iso:)),
                      let start = CivilDate(iso: max(episode[0]!, birthday)) else { return total }
                return total + max(0, end.dayNumber - start.dayNumber)
            }
        }
        return days(since: from14) >= 91 && days(since: from16) >= 1 ? [] : Array(rows.indices)
    }
}
