extension SequenceRules {
    /// The sequence rules of the CIN census tables, by rule id.
    static let cin: [String: any SequenceRule.Type] = [
        "cin.plan.more-than-one-open": MoreThanOneOpenCINPlan.self,
        "cin.referral.more-than-one-open": MoreThanOneOpenReferral.self,
        "cin.referral.open-not-latest": OpenReferralNotLatest.self,
        "cin.section47.more-than-one-open": MoreThanOneOpenSection47.self,
        "cin.assessment_factor.21-with-others": AssessmentFactor21WithOthers.self,
        "cin.assessment.more-than-one-open": MoreThanOneOpenAssessment.self,
        "cin.protection_plan.more-than-one-open": MoreThanOneOpenProtectionPlan.self,
    ]
}
