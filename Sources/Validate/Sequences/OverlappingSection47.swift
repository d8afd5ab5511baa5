/// DfE 8890: a section 47 enquiry of a referral starts while another of its enquiries is going on (on or
/// before that one's initial conference, or the census date when it has none and one is not marked not
/// required).
struct OverlappingSection47: SequenceRule {
    static let fields = ["S47ActualStartDate", "DateOfInitialCPC", "referral", "ICPCnotRequired"]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        SequenceRules.overlapping(rows, start: 0, end: 1, group: 2, reference: run.endISO, duplicates: true) {
            // TRUE and 1: the XML schema's boolean true (cin.YesNo), a fact of the format, not a DfE code.
            $0[3] != "TRUE" && $0[3] != "1"
        }
    }
}
