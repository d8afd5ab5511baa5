/// DfE 1014: UASC data and care leaver data (an OC3 row with any item) for a child with episodes in the
/// return but none in the collection year. The validator flags the UASC and OC3 rows.
enum UASCForCareLeaver {
    static let uasc = "ssda903.uasc", oc3 = "ssda903.oc3"

    /// Whether the child has episodes, none of them in the year (cells: CareFacts.episodeFields).
    static func notLookedAfterInYear(_ episodes: RuleRows, _ run: RuleRun) -> Bool {
        !episodes.isEmpty && !episodes.contains { e in
            guard let decom = e[0], decom <= run.endISO else { return false }
            return e[1].map { $0 >= run.startISO } ?? true
        }
    }

    static func careLeaver(_ rows: RuleRows) -> Bool { rows.contains { $0.contains { $0 != nil } } }

    struct UASC: SequenceRule {
        static let fields = ["CHILD"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields, oc3: ["IN_TOUCH", "ACTIV", "ACCOM"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            notLookedAfterInYear(others[CareFacts.episodes], run) && careLeaver(others[oc3]) ? Array(rows.indices) : []
        }
    }

    struct CareLeaver: SequenceRule {
        static let fields = ["IN_TOUCH", "ACTIV", "ACCOM"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields, uasc: ["CHILD"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard !others[uasc].isEmpty, notLookedAfterInYear(others[CareFacts.episodes], run) else { return [] }
            return rows.indices.filter { rows[$0].contains { $0 != nil } }
        }
    }
}
