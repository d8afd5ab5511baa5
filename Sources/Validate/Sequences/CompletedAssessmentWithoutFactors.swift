/// DfE 8897Q: an assessment authorised in the collection year has no factor (none of the codes the
/// validator lists).
struct CompletedAssessmentWithoutFactors: SequenceRule {
    static let fields = ["referral", "assessment", "AssessmentAuthorisationDate"]
    static let others = ["cin.assessment_factor": ["referral", "assessment", "AssessmentFactors"]]
    /// The validator's list: every factor code but 8A (and the newer 18A/19A splits are in it).
    static let codes: Set<String> = ["1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C",
                                     "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A",
                                     "14A", "15A", "16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A",
                                     "23A", "24A"]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        let factors = others["cin.assessment_factor"]
        return rows.indices.filter { i in
            guard let authorised = rows[i][2], authorised >= run.startISO else { return false }
            return !factors.contains { $0[0] == rows[i][0] && $0[1] == rows[i][1] && codes.contains($0[2] ?? "") }
        }
    }
}
