/// DfE 4003: a child protection plan review held while a CIN plan is open: on or after the CIN plan's start
/// and before its end. Read as the validator reads it (see the YAML): the CIN plan must have ended, the
/// protection plan too and not on the review's day; reviews are matched to protection plans by the plan's
/// number alone (the validator's CPPID). Three rules, as the validator flags the CIN plan, the protection
/// plan and the review.
enum ReviewDuringPlan {
    static let plans = "cin.plan", protection = "cin.protection_plan", reviews = "cin.cpp_review"
    static let planFields = ["CINPlanStartDate", "CINPlanEndDate"]
    static let protectionFields = ["protection_plan", "CPPendDate"]
    static let reviewFields = ["protection_plan", "CPPreviewDate"]

    /// The (plan, protection plan, review) row triples that meet the test.
    static func triples(plans: RuleRows, protection: RuleRows, reviews: RuleRows) -> [(Int, Int, Int)] {
        var out: [(Int, Int, Int)] = []
        for (c, cpp) in protection.enumerated() {
            guard let cppEnd = cpp[1] else { continue }
            for (r, review) in reviews.enumerated() where review[0] == cpp[0] {
                guard let date = review[1], date != cppEnd else { continue }
                for (p, plan) in plans.enumerated() {
                    guard let start = plan[0], let end = plan[1], date >= start, date < end else { continue }
                    out.append((p, c, r))
                }
            }
        }
        return out
    }

    struct Plan: SequenceRule {
        static let fields = planFields
        static let others = [protection: protectionFields, reviews: reviewFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            Set(triples(plans: rows, protection: others[protection], reviews: others[reviews]).map(\.0)).sorted()
        }
    }

    struct ProtectionPlan: SequenceRule {
        static let fields = protectionFields
        static let others = [plans: planFields, reviews: reviewFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            Set(triples(plans: others[plans], protection: rows, reviews: others[reviews]).map(\.1)).sorted()
        }
    }

    struct Review: SequenceRule {
        static let fields = reviewFields
        static let others = [plans: planFields, protection: protectionFields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            Set(triples(plans: others[plans], protection: others[protection], reviews: rows).map(\.2)).sorted()
        }
    }
}
