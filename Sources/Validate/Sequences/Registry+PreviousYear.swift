extension SequenceRules {
    /// The rules that read a child's rows this year with the child's row of last year's return, by rule id.
    public static let previousYear: [String: any PreviousYearSequenceRule] = {
        var rules: [String: any PreviousYearSequenceRule] = [:]
        for field in ["DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "URN"] {
            var rule = FirstRowDiffersFromOpenLast(start: "DECOM", end: "DEC", field: field)
            if field == "PLACE" { rule.recodes = true }
            rules["ssda903.episodes.\(field).same-as-open-last-year"] = rule
        }
        for field in ["SW_ID", "SW_DECOM", "SW_REASON"] {
            rules["ssda903.sw_episodes.\(field).same-as-open-last-year"] =
                FirstRowDiffersFromOpenLast(start: "SW_DECOM", end: "SW_DEC", field: field)
        }
        rules["ssda903.missing.MIS_START.same-as-open-last-year"] =
            FirstRowDiffersFromOpenLast(start: "MIS_START", end: "MIS_END", field: "MIS_START")
        rules["ssda903.episodes.after-adoption"] = EpisodeAfterAdoption()
        rules["ssda903.episodes.PL_LA.same-as-open-last-year"] = FirstPlacementDiffersFromOpenLast(compared: .la, sameRNE: true)
        rules["ssda903.episodes.PL_DISTANCE.same-as-open-last-year-same-rne"] =
            FirstPlacementDiffersFromOpenLast(compared: .distance, sameRNE: true)
        rules["ssda903.episodes.PL_DISTANCE.same-as-open-last-year"] = FirstPlacementDiffersFromOpenLast(compared: .distance, sameRNE: false)
        rules["ssda903.episodes.PL_LA.same-as-open-last-year-any-rne"] = FirstPlacementDiffersFromOpenLast(compared: .la, sameRNE: false)
        rules["ssda903.episodes.PL_LOCATION.same-as-open-last-year"] = FirstPlacementDiffersFromOpenLast(compared: .location, sameRNE: false)
        rules["ssda903.oc3.died-in-care-last-year"] = CareLeaverDiedInCareLastYear()
        rules["ssda903.oc3.without-episodes-this-year-or-last"] = CareLeaverWithoutEpisodes()
        rules["ssda903.oc3.open-last-year-without-episodes"] = CareLeaverOpenLastYearWithoutEpisodes()
        rules["ssda903.oc3.not-relevant-child"] = CareLeaverNotRelevant()
        rules["ssda903.header.DoLO.open-last-year-carried-on"] = DoLOOpenLastYearNotCarriedOn()
        return rules
    }()
}
