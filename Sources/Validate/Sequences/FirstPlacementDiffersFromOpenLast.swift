import RCCCore

/// DfE 452 and 503H (placement LA), 453 and 503G (placement distance), 503J (placement location): when
/// the child's latest episode last year was still open, the child's first episode this year (by DECOM)
/// carries on from it, so its placement LA, distance or location, derived from its postcodes with the ONS
/// Postcode Directory, is the same. As csc-validator-be-903 reads them: 452 and 453 only when the two
/// episodes have the same RNE; for the LA and the location, blank and blank agree and blank and a value
/// differ; for the distance, a difference of `least_change_tenths` (2) tenths of a mile or more, or a distance this year where last year's
/// is blank (not the other way round). The location is the validator's PL_LOCATION: IN when the placement
/// LA is the return's own LA, OUT when it is another (or outside England), blank when the postcode is not
/// in the directory; both years are read against this year's LA, as the validator reads them.
struct FirstPlacementDiffersFromOpenLast: PreviousYearSequenceRule {
    enum Compared { case la, distance, location }
    let compared: Compared
    let sameRNE: Bool

    var fields: [String] { ["DECOM", "RNE", "HOME_POST", "PL_POST"] }
    var lastFields: [String] { ["DEC", "RNE", "HOME_POST", "PL_POST"] }
    /// Only the distance has a threshold.
    var parameters: [String: RuleParameter.Kind] { compared == .distance ? ["least_change_tenths": .number] : [:] }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int] {
        guard let postcodes, let last, last[0] == nil else { return [] }
        guard let first = SequenceRules.ordered(rows, by: 0).first(where: { rows[$0][0] != nil }) else { return [] }
        let now = rows[first]
        if sameRNE && now[1] != last[1] { return [] }
        switch compared {
        case .la:
            return postcodes.placementLA(now[3]) == postcodes.placementLA(last[3]) ? [] : [first]
        case .location:
            guard let localLA else { return [] }
            // IN and OUT: the validator's own labels, compared only with each other (no code of the return).
            func location(_ postcode: String?) -> String? {
                postcodes.placementLA(postcode).map { $0 == localLA ? "IN" : "OUT" }
            }
            return location(now[3]) == location(last[3]) ? [] : [first]
        case .distance:
            guard let distance = postcodes.distanceTenths(now[2], now[3]) else { return [] }
            guard let before = postcodes.distanceTenths(last[2], last[3]) else { return [first] }
            return abs(distance - before) >= run.number("least_change_tenths") ? [first] : []
        }
    }
}
