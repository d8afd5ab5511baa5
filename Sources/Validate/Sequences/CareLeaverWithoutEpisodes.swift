import RCCCore

/// DfE 1002: care leaver information (an OC3 row) for a child with no episodes this year nor in last
/// year's return. As csc-validator-be-903 reads it: only when the return has episodes at all (and last
/// year's is supplied); episodes before last year are not known, so it may be a false positive.
struct CareLeaverWithoutEpisodes: PreviousYearSequenceRule {
    var fields: [String] { [] }
    var lastTable: String? { CareFacts.episodes }
    var lastFields: [String] { ["DECOM"] }
    var others: [String: [String]] { [CareFacts.episodes: ["DECOM"]] }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, postcodes: PostcodeDirectory?, localLA: String?) -> [Int] {
        guard others.isReturned(CareFacts.episodes), others[CareFacts.episodes].isEmpty, last == nil else { return [] }
        return Array(rows.indices)
    }
}
