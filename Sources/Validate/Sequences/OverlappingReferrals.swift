/// DfE 8820: two of a child's CIN episodes overlap: one is referred before the other closed, or before the
/// census date when that one is open and not a referral with no further action.
struct OverlappingReferrals: SequenceRule {
    static let fields = ["CINreferralDate", "CINclosureDate", "ReferralNFA"]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        SequenceRules.overlapping(rows, start: 0, end: 1, strict: true, reference: run.endISO) {
            // FALSE and 0: the XML schema's boolean false (cin.YesNo), a fact of the format, not a DfE code.
            $0[2] == "FALSE" || $0[2] == "0"
        }
    }
}
