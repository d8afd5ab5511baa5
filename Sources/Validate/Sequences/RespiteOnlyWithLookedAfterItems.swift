import RCCCore

/// DfE 399: a child all of whose episodes are respite (legal status of `respite`: V3, V4) has MOTHER given, or a review (REVIEW or
/// REVIEW_CODE). The validator flags the child's episodes, its Header row and its reviews with either field.
enum RespiteOnlyWithLookedAfterItems {
    static let header = "ssda903.header", reviews = "ssda903.reviews"

    /// What each of the three reads from its entry.
    static let parameters: [String: RuleParameter.Kind] = ["respite": .codes]

    static func respiteOnly(_ legalStatuses: [String?], _ run: RuleRun) -> Bool {
        let respite = run.codes("respite")
        return !legalStatuses.isEmpty && legalStatuses.allSatisfy { respite.contains($0 ?? "") }
    }

    /// Whether the child has MOTHER given or a review with either field.
    static func hasItems(mother: [String?], reviews: RuleRows) -> Bool {
        mother.contains { $0 != nil } || reviews.contains { $0.contains { $0 != nil } }
    }

    struct Episode: SequenceRule {
        static let fields = ["LS"]
        static let others = [header: ["MOTHER"], reviews: ["REVIEW", "REVIEW_CODE"]]
        static let parameters = RespiteOnlyWithLookedAfterItems.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard respiteOnly(rows.map { $0[0] }, run), hasItems(mother: others[header].map { $0[0] }, reviews: others[reviews]) else { return [] }
            return Array(rows.indices)
        }
    }

    struct Header: SequenceRule {
        static let fields = ["MOTHER"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields, reviews: ["REVIEW", "REVIEW_CODE"]]
        static let parameters = RespiteOnlyWithLookedAfterItems.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard respiteOnly(others[CareFacts.episodes].map { $0[4] }, run), hasItems(mother: rows.map { $0[0] }, reviews: others[reviews]) else { return [] }
            return Array(rows.indices)
        }
    }

    struct Review: SequenceRule {
        static let fields = ["REVIEW", "REVIEW_CODE"]
        static let others = [CareFacts.episodes: CareFacts.episodeFields, header: ["MOTHER"]]
        static let parameters = RespiteOnlyWithLookedAfterItems.parameters

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard respiteOnly(others[CareFacts.episodes].map { $0[4] }, run) else { return [] }
            let mother = others[header].contains { $0[0] != nil }
            return rows.indices.filter { mother || rows[$0].contains { $0 != nil } }
        }
    }
}
