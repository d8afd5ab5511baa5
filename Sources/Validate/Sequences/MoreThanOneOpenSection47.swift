/// DfE 8839: a referral has two or more section 47 enquiries with no initial CPC date and an ICPC not marked not required.
struct MoreThanOneOpenSection47: SequenceRule {
    static let fields = ["DateOfInitialCPC", "ICPCnotRequired", "referral"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let byReferral = Dictionary(grouping: rows.indices.filter { rows[$0][0] == nil }) { rows[$0][2] }
        // Every enquiry of the referral without a CPC date fails, not-required ones too, as the validator flags them.
        // TRUE and 1: the XML schema's boolean true (cin.YesNo), a fact of the format, not a DfE code.
        return byReferral.values.filter { enquiries in
            enquiries.filter { rows[$0][1] != "TRUE" && rows[$0][1] != "1" }.count > 1
        }.flatMap { $0 }.sorted()
    }
}
