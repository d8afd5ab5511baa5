/// DfE 8940: two of a child's child protection plans overlap (one starts on or before the other ends, or
/// before the census date when that one is open); as the validator pairs them, two plans with the same
/// number (in different referrals) are not compared.
struct OverlappingProtectionPlans: SequenceRule {
    static let fields = ["CPPstartDate", "CPPendDate", "protection_plan"]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        SequenceRules.overlapping(rows, start: 0, end: 1, reference: run.endISO, distinct: 2)
    }
}
