import RCCCore

/// DfE 434: an episode with a reason of legal status changed, placement not (`legal_status_only`: L) has a new legal status and the previous episode's placement.
struct LegalStatusChangeNotReflected: SequenceRule {
    static let fields = ["DECOM", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]
    static let parameters: [String: RuleParameter.Kind] = ["legal_status_only": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let legalStatusOnly = run.codes("legal_status_only")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard legalStatusOnly.contains(rows[current][1] ?? "") else { return nil }
            // As the validator compares: the same legal status only when both are given; placement fields blank on both are the same.
            let sameStatus = rows[current][2] != nil && rows[current][2] == rows[previous][2]
            let placementChanged = (3...6).contains { rows[current][$0] != rows[previous][$0] }
            return sameStatus || placementChanged ? current : nil
        }.sorted()
    }
}
