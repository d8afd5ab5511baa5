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
        "cin.disability.repeated": DisabilityCodeRepeated.self,
        "cin.disability.NONE-with-others": DisabilityNoneWithOthers.self,
        "cin.assessment_factor.repeated": AssessmentFactorRepeated.self,
        // Reading the child's rows of other tables too (tables: in the YAML).
        "cin.section47.DateOfInitialCPC.also-on-referral": ICPCAtBothLevels.Enquiry.self,
        "cin.referral.DateOfInitialCPC.also-on-section47": ICPCAtBothLevels.Referral.self,
        "cin.section47.without-assessment": Section47WithoutAssessment.self,
        "cin.child.without-referral": ChildWithoutReferral.self,
        "cin.referral.RC8-RC9-without-assessment": ClosedAfterAssessmentWithoutAssessment.self,
        "cin.plan.open-with-open-protection-plan": PlanAndProtectionPlanTogether.BothOpenPlan.self,
        "cin.protection_plan.open-with-open-plan": PlanAndProtectionPlanTogether.BothOpenProtection.self,
        "cin.plan.starts-during-protection-plan": PlanAndProtectionPlanTogether.PlanStartsDuringProtectionPlan.self,
        "cin.protection_plan.open-when-plan-starts": PlanAndProtectionPlanTogether.ProtectionPlanOpenWhenPlanStarts.self,
        "cin.protection_plan.starts-during-plan": PlanAndProtectionPlanTogether.ProtectionPlanStartsDuringPlan.self,
        "cin.plan.open-when-protection-plan-starts": PlanAndProtectionPlanTogether.PlanOpenWhenProtectionPlanStarts.self,
        "cin.assessment.only-one-no-factors-not-RC8-RC9": OnlyAssessmentNoFactorsNotClosedAfterAssessment.self,
        "cin.assessment.authorised-without-factors": CompletedAssessmentWithoutFactors.self,
    ]
}
