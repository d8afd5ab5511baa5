/// DfE 625: the date of birth of the mother's child (Header's MC_DOB) is after the end of the year or after
/// the end of the child's latest ended episode (the latest DEC). The validator flags the Header row and that
/// episode, and looks only at children with an ended episode.
enum MothersChildBornTooLate {
    static let header = "ssda903.header"

    /// The child's latest ended episode (latest DEC; the first in the file among equals) and its end.
    static func latestEnded(_ episodes: RuleRows) -> (row: Int, dec: String)? {
        let ended = episodes.indices.filter { episodes[$0][0] != nil }
        guard let latest = ended.max(by: { (episodes[$0][0]!, $1) < (episodes[$1][0]!, $0) }) else { return nil }
        return (latest, episodes[latest][0]!)
    }

    static func tooLate(_ birth: String?, _ dec: String, _ run: RuleRun) -> Bool {
        guard let birth else { return false }
        return birth > run.endISO || birth > dec
    }

    struct Episode: SequenceRule {
        static let fields = ["DEC"]
        static let others = [header: ["MC_DOB"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let latest = latestEnded(rows), others[header].contains(where: { tooLate($0[0], latest.dec, run) }) else { return [] }
            return [latest.row]
        }
    }

    struct Header: SequenceRule {
        static let fields = ["MC_DOB"]
        static let others = [CareFacts.episodes: ["DEC"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard let latest = latestEnded(others[CareFacts.episodes]) else { return [] }
            return rows.indices.filter { tooLate(rows[$0][0], latest.dec, run) }
        }
    }
}
