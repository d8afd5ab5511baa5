extension SequenceRules {
    /// The sequence rules of SSDA903 Episodes, by rule id.
    static let episodes: [String: any SequenceRule.Type] = [
        "ssda903.episodes.started-before-previous-ended": EpisodeStartsBeforePreviousEnds.self,
        "ssda903.episodes.previous-not-ended": PreviousEpisodeNotEnded.self,
    ]
}
