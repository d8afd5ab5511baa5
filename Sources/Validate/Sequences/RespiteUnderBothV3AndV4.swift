import RCCCore

/// DfE 426: a child's respite episodes are all under a legal status of short breaks recorded episode by
/// episode (`short_breaks_by_episode`: V3) or all under one of short breaks recorded by agreement
/// (`short_breaks_by_agreement`: V4), not both in one return.
struct RespiteUnderBothV3AndV4: SequenceRule {
    static let fields = ["LS"]
    static let parameters: [String: RuleParameter.Kind] = ["short_breaks_by_episode": .codes, "short_breaks_by_agreement": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let byEpisode = run.codes("short_breaks_by_episode"), byAgreement = run.codes("short_breaks_by_agreement")
        let respite = rows.indices.filter { byEpisode.contains(rows[$0][0] ?? "") || byAgreement.contains(rows[$0][0] ?? "") }
        let both = respite.contains { byEpisode.contains(rows[$0][0] ?? "") } && respite.contains { byAgreement.contains(rows[$0][0] ?? "") }
        return both ? respite : []
    }
}
