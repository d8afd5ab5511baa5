extension SequenceRules {
    /// The sequence rules of the other SSDA903 tables (Missing, SWEpisodes, DoLo, PlacedAdoption…), by rule id.
    static let otherTables: [String: any SequenceRule.Type] = [
        "ssda903.missing.overlaps-previous": MissingPeriodOverlapsPrevious.self,
        "ssda903.placed_adoption.overlaps-previous": AdoptionDecisionOverlapsPrevious.self,
        "ssda903.placed_adoption.earlier-not-revoked": EarlierAdoptionDecisionNotRevoked.self,
        "ssda903.sw_episodes.previous-not-ended": PreviousSocialWorkerEpisodeNotEnded.self,
        "ssda903.sw_episodes.end-blank-not-latest": SocialWorkerEpisodeEndBlank.self,
        "ssda903.sw_episodes.not-within-7-days-of-previous": SocialWorkerEpisodeNotWithinWeekOfPrevious.self,
        "ssda903.sw_episodes.first-contact-before-previous-ended": FirstContactSocialWorkerEpisodeBeforePreviousEnded.self,
        "ssda903.sw_episodes.not-within-7-days-of-previous-SW10": SocialWorkerEpisodeNotWithinWeekOfPrevious.self,
        "ssda903.sw_episodes.ended-near-year-end": SocialWorkerEpisodeEndedNearYearEnd.self,
        "ssda903.sw_episodes.latest-ended": LatestSocialWorkerEpisodeEnded.self,
        // Reading the child's Episodes too (tables: in the YAML).
        "ssda903.oc2.SDQ_SCORE.not-looked-after-12-months": SDQScoreNotLookedAfter12Months.self,
        "ssda903.oc2.SDQ_REASON.not-looked-after-12-months": SDQReasonNotLookedAfter12Months.self,
        "ssda903.oc2.SDQ.missing-looked-after-12-months": SDQMissingLookedAfter12Months.self,
        "ssda903.oc2.items.not-looked-after-12-months": OC2ItemsNotLookedAfter12Months.self,
        "ssda903.oc2.items.missing-looked-after-12-months": OC2ItemsMissingLookedAfter12Months.self,
        "ssda903.oc2.CONVICTED.missing-looked-after-12-months": ConvictionMissingLookedAfter12Months.self,
        "ssda903.oc2.HEALTH_CHECK.missing-under-5": HealthCheckMissingUnderFive.self,
        "ssda903.oc2.HEALTH_CHECK.given-5-or-over": HealthCheckGivenFiveOrOver.self,
        "ssda903.ad1.looked-after-12-months": AdoptionLookedAfter12Months.self,
        "ssda903.oc3.looked-after-12-months": CareLeaverLookedAfter12Months.self,
        "ssda903.missing.open-after-care-ended": MissingOpenAfterCareEnded.self,
        "ssda903.missing.MIS_START.outside-care": MissingStartOutsideCare.self,
        "ssda903.missing.MIS_START.in-no-episode": MissingNotInEpisode.self,
        "ssda903.missing.not-ended-with-placement": MissingNotEndedWithPlacement.self,
        "ssda903.header.DOB.after-first-episode": BornAfterFirstEpisode.self,
    ]
}
