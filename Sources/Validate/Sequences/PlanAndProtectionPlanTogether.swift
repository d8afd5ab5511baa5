/// DfE 4001, 4016, 4017: a child's CIN plans against its child protection plans, pair by pair, as the
/// validator pairs them; each rule is one side (the plan's or the protection plan's rows) of one code.
/// Cells: CIN plan (referral, CINPlanStartDate, CINPlanEndDate); protection plan (referral, CPPstartDate,
/// CPPendDate).
enum PlanAndProtectionPlanTogether {
    static let plans = "cin.plan", protection = "cin.protection_plan"
    static let planFields = ["referral", "CINPlanStartDate", "CINPlanEndDate"]
    static let protectionFields = ["referral", "CPPstartDate", "CPPendDate"]

    /// 4001: in the same referral, both open (the CIN plan with a start).
    static func bothOpen(plan: RuleRow, cpp: RuleRow, reference: String) -> Bool {
        plan[0] == cpp[0] && cpp[2] == nil && plan[1] != nil && plan[2] == nil
    }

    /// 4016: the CIN plan starts on or after the protection plan starts and before it ends (on or before
    /// the census date when it is open).
    static func planDuringProtection(plan: RuleRow, cpp: RuleRow, reference: String) -> Bool {
        guard let start = plan[1], let cppStart = cpp[1], start >= cppStart else { return false }
        return cpp[2].map { start < $0 } ?? (start <= reference)
    }

    /// 4017: the protection plan starts on or after the CIN plan starts and before it ends (on or before
    /// the census date when it is open).
    static func protectionDuringPlan(plan: RuleRow, cpp: RuleRow, reference: String) -> Bool {
        guard let start = cpp[1], let planStart = plan[1], start >= planStart else { return false }
        return plan[2].map { start < $0 } ?? (start <= reference)
    }

    typealias Pairing = (_ plan: RuleRow, _ cpp: RuleRow, _ reference: String) -> Bool

    static func plansFailing(_ rows: RuleRows, _ others: ChildRows, _ run: RuleRun, _ test: Pairing) -> [Int] {
        rows.indices.filter { i in others[protection].contains { test(rows[i], $0, run.endISO) } }
    }

    static func protectionFailing(_ rows: RuleRows, _ others: ChildRows, _ run: RuleRun, _ test: Pairing) -> [Int] {
        rows.indices.filter { i in others[plans].contains { test($0, rows[i], run.endISO) } }
    }

    struct BothOpenPlan: SequenceRule {
        static let fields = planFields
        static let others = [protection: protectionFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            plansFailing(rows, others, run, bothOpen)
        }
    }

    struct BothOpenProtection: SequenceRule {
        static let fields = protectionFields
        static let others = [plans: planFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            protectionFailing(rows, others, run, bothOpen)
        }
    }

    struct PlanStartsDuringProtectionPlan: SequenceRule {
        static let fields = planFields
        static let others = [protection: protectionFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            plansFailing(rows, others, run, planDuringProtection)
        }
    }

    struct ProtectionPlanOpenWhenPlanStarts: SequenceRule {
        static let fields = protectionFields
        static let others = [plans: planFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            protectionFailing(rows, others, run, planDuringProtection)
        }
    }

    struct ProtectionPlanStartsDuringPlan: SequenceRule {
        static let fields = protectionFields
        static let others = [plans: planFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            protectionFailing(rows, others, run, protectionDuringPlan)
        }
    }

    struct PlanOpenWhenProtectionPlanStarts: SequenceRule {
        static let fields = planFields
        static let others = [protection: protectionFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            plansFailing(rows, others, run, protectionDuringPlan)
        }
    }
}
