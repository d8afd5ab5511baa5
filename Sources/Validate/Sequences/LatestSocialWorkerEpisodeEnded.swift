/// DfE SW17STG2: the child's latest social worker episode (latest SW_DECOM) has ended, so none is open at 31 March.
struct LatestSocialWorkerEpisodeEnded: SequenceRule {
    static let fields = ["SW_DECOM", "SW_DEC"]

    static func failing(_ rows: RuleRows) -> [Int] {
        // The latest start; among equals the first in the file. Episodes without a start are not latest.
        guard let latest = rows.indices.filter({ rows[$0][0] != nil })
            .max(by: { (rows[$0][0]!, $1) < (rows[$1][0]!, $0) }) else { return [] }
        return rows[latest][1] == nil ? [] : [latest]
    }
}
