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
        "cin.plan.overlapping": OverlappingCINPlans.self,
        "cin.protection_plan.overlapping": OverlappingProtectionPlans.self,
        "cin.referral.overlapping": OverlappingReferrals.self,
        "cin.assessment.overlapping": OverlappingAssessments.self,
        "cin.section47.overlapping": OverlappingSection47.self,
    ]
}
