extension SequenceRules {
    /// The sequence rules of SSDA903 Episodes, by rule id.
    static let episodes: [String: any SequenceRule.Type] = [
        "ssda903.episodes.started-before-previous-ended": EpisodeStartsBeforePreviousEnds.self,
        "ssda903.episodes.previous-not-ended": PreviousEpisodeNotEnded.self,
        "ssda903.episodes.temporary-after-placement-change-reason": TemporaryPlacementAfterPlacementChangeReason.self,
        "ssda903.episodes.temporary-not-followed-by-return": TemporaryPlacementNotFollowedByReturn.self,
        "ssda903.episodes.X1-without-continuation": ContinuationReasonWithoutContinuation.self,
        "ssda903.episodes.S-before-previous-ended": StartedToBeLookedAfterBeforePreviousEnded.self,
        "ssda903.episodes.not-S-after-ceasing": NotStartedAfterCeasingToBeLookedAfter.self,
        "ssda903.episodes.continuation-not-on-previous-end": ContinuationNotStartingWhenPreviousEnded.self,
        "ssda903.episodes.L-change-not-reflected": LegalStatusChangeNotReflected.self,
        "ssda903.episodes.P-T-change-not-reflected": PlacementChangeNotReflected.self,
        "ssda903.episodes.U-B-change-not-reflected": PlacementAndLegalStatusChangeNotReflected.self,
        "ssda903.episodes.after-E2-E15": EpisodeAfterDeathOrEighteen.self,
        "ssda903.episodes.CIN-changed-in-period": CategoryOfNeedChangedInPeriod.self,
        "ssda903.episodes.L1.consecutive-three-days": PoliceProtectionRunTooLong.self,
        "ssda903.episodes.L2.consecutive-twenty-one-days": EmergencyProtectionRunTooLong.self,
        "ssda903.episodes.L3.consecutive-seven-days": ChildAssessmentOrderPeriodTooLong.self,
        "ssda903.episodes.J2.consecutive-twenty-one-days": PACEDetentionPeriodTooLong.self,
        "ssda903.episodes.T3.more-than-two": TooManyFosterCarerHolidayPlacements.self,
        "ssda903.episodes.V3-and-V4": RespiteUnderBothV3AndV4.self,
        "ssda903.episodes.V3.over-75-days": RespiteOverSeventyFiveDays.self,
        "ssda903.episodes.first-not-S": FirstEpisodeNotStarted.self,
        "ssda903.episodes.REASON_PLACE_CHANGE.required": PlacementChangeReasonMissing.self,
        "ssda903.episodes.A3-A4-not-after-foster": AdoptionPlacementNotAfterFoster.self,
        // Reading the child's rows of other tables too (tables: in the YAML).
        "ssda903.episodes.looked-after-12-months-without-oc2": LookedAfter12MonthsWithoutOC2.self,
        "ssda903.episodes.first-before-birth": FirstEpisodeBeforeBirth.self,
        "ssda903.episodes.missing-at-18-not-E8": MissingAtEighteenNotE8.self,
    ]
}
