import RCCCore

/// DfE 706 (2026-27): the child's latest DoLO last year (by DOLO_START) was still open (no DOLO_END), and
/// no DoLO this year starts on its DOLO_START. As csc-validator-be-903 reads it: any of this year's DoLOs
/// may be the one (the DfE text says the first); a child with no DoLO this year fails too, when the return
/// has DoLOs at all. The validator
/// flags last year's row (an index into last year's table, given as this year's); rcc flags the child's
/// Header row this year, so a child with no DoLO rows this year is still found. The validator reads every
/// open DoLO of last year; rcc the child's latest, which an open one is unless it overlaps a later one.
struct DoLOOpenLastYearNotCarriedOn: PreviousYearSequenceRule {
    static let dolo = "ssda903.dolo"
    var fields: [String] { [] }
    var lastTable: String? { Self.dolo }
    var lastFields: [String] { ["DOLO_END", "DOLO_START"] }
    var others: [String: [String]] { [Self.dolo: ["DOLO_START"]] }

    func failing(_ rows: RuleRows, last: [String?]?) -> [Int] { [] }

    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, postcodes: PostcodeDirectory?, localLA: String?) -> [Int] {
        guard others.isReturned(Self.dolo), let last, last[0] == nil, let start = last[1] else { return [] }
        return others[Self.dolo].contains { $0[0] == start } ? [] : Array(rows.indices)
    }
}
