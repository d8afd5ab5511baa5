import RCCCore

/// DfE 1010: care leaver information (an OC3 row) for a child with no episodes this year whose latest
/// episode last year (by DECOM) was still open (no DEC). As csc-validator-be-903 reads it: only when the
/// return has episodes at all (and last year's is supplied).
struct CareLeaverOpenLastYearWithoutEpisodes: PreviousYearSequenceRule {
    var fields: [String] { [] }
    var lastTable: String? { CareFacts.episodes }
    var lastFields: [String] { ["DEC", "DECOM"] }
    var others: [String: [String]] { [CareFacts.episodes: ["DECOM"]] }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, postcodes: PostcodeDirectory?, localLA: String?) -> [Int] {
        guard others.isReturned(CareFacts.episodes), others[CareFacts.episodes].isEmpty,
              let last, last[0] == nil, last[1] != nil else { return [] }
        return Array(rows.indices)
    }
}
