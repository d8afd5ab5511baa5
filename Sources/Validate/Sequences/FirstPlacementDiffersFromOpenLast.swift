import RCCCore

/// DfE 452 (placement LA), 453 and 503G (placement distance): when the child's latest episode last year
/// was still open, the child's first episode this year (by DECOM) carries on from it, so its placement
/// LA or distance, derived from its postcodes with the ONS Postcode Directory, is the same. As
/// csc-validator-be-903 reads them: 452 and 453 only when the two episodes have the same RNE; for the LA,
/// blank and blank agree and blank and a value differ; for the distance, a difference of 0.2 miles or
/// more, or a distance this year where last year's is blank (not the other way round).
struct FirstPlacementDiffersFromOpenLast: PreviousYearSequenceRule {
    enum Compared { case la, distance }
    let compared: Compared
    let sameRNE: Bool

    var fields: [String] { ["DECOM", "RNE", "HOME_POST", "PL_POST"] }
    var lastFields: [String] { ["DEC", "RNE", "HOME_POST", "PL_POST"] }

    func failing(_ rows: [[String?]], last: [String?]?) -> [Int] { [] }

    func failing(_ rows: [[String?]], last: [String?]?, postcodes: PostcodeDirectory?) -> [Int] {
        guard let postcodes, let last, last[0] == nil else { return [] }
        guard let first = SequenceRules.ordered(rows, by: 0).first(where: { rows[$0][0] != nil }) else { return [] }
        let now = rows[first]
        if sameRNE && now[1] != last[1] { return [] }
        switch compared {
        case .la:
            return postcodes.placementLA(now[3]) == postcodes.placementLA(last[3]) ? [] : [first]
        case .distance:
            guard let distance = postcodes.distanceTenths(now[2], now[3]) else { return [] }
            guard let before = postcodes.distanceTenths(last[2], last[3]) else { return [first] }
            return abs(distance - before) >= 2 ? [first] : []
        }
    }
}
