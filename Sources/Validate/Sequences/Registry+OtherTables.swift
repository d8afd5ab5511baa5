extension SequenceRules {
    /// The sequence rules of the other SSDA903 tables (Missing, SWEpisodes, DoLo, PlacedAdoption…), by rule id.
    static let otherTables: [String: any SequenceRule.Type] = [:]
}
