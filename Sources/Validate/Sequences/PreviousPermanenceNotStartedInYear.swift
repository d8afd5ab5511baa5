/// DfE 634: previous permanence information (a PrevPerm row with any item) for a child whose latest
/// episode started before the collection year. The validator flags the PrevPerm row and all the child's
/// episodes.
enum PreviousPermanenceNotStartedInYear {
    static let prevPerm = "ssda903.prev_perm"

    static func startedBefore(_ starts: [String?], _ run: RuleRun) -> Bool {
        starts.compactMap { $0 }.max().map { $0 < run.startISO } ?? false
    }

    struct Episode: SequenceRule {
        static let fields = ["DECOM"]
        static let others = [prevPerm: ["PREV_PERM", "LA_PERM", "DATE_PERM"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard others[prevPerm].contains(where: { $0.contains { $0 != nil } }), startedBefore(rows.map { $0[0] }, run) else { return [] }
            return Array(rows.indices)
        }
    }

    struct Permanence: SequenceRule {
        static let fields = ["PREV_PERM", "LA_PERM", "DATE_PERM"]
        static let others = [CareFacts.episodes: ["DECOM"]]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            guard startedBefore(others[CareFacts.episodes].map { $0[0] }, run) else { return [] }
            return rows.indices.filter { rows[$0].contains { $0 != nil } }
        }
    }
}
