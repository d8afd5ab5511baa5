/// DfE 2884: the date of the initial child protection conference is given both on a section 47 enquiry and
/// on a CIN episode (referral) of the child, the same date. As the validator merges them on the child only,
/// the enquiry and the referral need not be of the same referral. One rule a table.
enum ICPCAtBothLevels {
    static let referrals = "cin.referral", enquiries = "cin.section47"

    static func failing(_ rows: RuleRows, dates other: RuleRows) -> [Int] {
        let dates = Set(other.compactMap { $0[0] })
        return rows.indices.filter { rows[$0][0].map(dates.contains) ?? false }
    }

    struct Enquiry: SequenceRule {
        static let fields = ["DateOfInitialCPC"]
        static let others = [referrals: ["DateOfInitialCPC"]]

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            ICPCAtBothLevels.failing(rows, dates: others[referrals])
        }
    }

    struct Referral: SequenceRule {
        static let fields = ["DateOfInitialCPC"]
        static let others = [enquiries: ["DateOfInitialCPC"]]

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            ICPCAtBothLevels.failing(rows, dates: others[enquiries])
        }
    }
}
