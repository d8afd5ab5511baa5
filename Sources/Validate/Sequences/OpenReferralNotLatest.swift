/// DfE 8816: a child's referral neither closed nor NFA is not their latest by referral date (it and the latest fail).
struct OpenReferralNotLatest: SequenceRule {
    static let fields = ["CINreferralDate", "CINclosureDate", "ReferralNFA"]

    static func failing(_ rows: RuleRows) -> [Int] {
        // Referrals without a date take no part. The latest is the first in file order with the latest date.
        let dated = rows.indices.filter { rows[$0][0] != nil }
        guard let latest = dated.max(by: { rows[$0][0]! < rows[$1][0]! || (rows[$0][0]! == rows[$1][0]! && $0 > $1) }) else { return [] }
        // FALSE and 0: the XML schema's boolean false (cin.YesNo), a fact of the format, not a DfE code.
        let open = dated.filter { $0 != latest && rows[$0][1] == nil && (rows[$0][2] == "FALSE" || rows[$0][2] == "0") }
        return open.isEmpty ? [] : (open + [latest]).sorted()
    }
}
