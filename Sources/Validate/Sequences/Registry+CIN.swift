extension SequenceRules {
    /// The sequence rules of the CIN census tables, by rule id.
    static let cin: [String: any SequenceRule.Type] = [:]
}
