/// DfE 8815: a child has more than one referral neither closed nor NFA (all their unclosed referrals fail).
struct MoreThanOneOpenReferral: SequenceRule {
    static let fields = ["CINclosureDate", "ReferralNFA"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let unclosed = rows.indices.filter { rows[$0][0] == nil }
        // FALSE and 0: the XML schema's boolean false (cin.YesNo), a fact of the format, not a DfE code.
        let open = unclosed.filter { rows[$0][1] == "FALSE" || rows[$0][1] == "0" }
        return open.count > 1 ? unclosed : []
    }
}
