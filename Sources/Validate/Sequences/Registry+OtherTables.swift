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
    ]
}
