import RCCCore

/// DfE 709 and 710: a DoLO (with a start and an end) overlapping an episode (starting on or before the
/// episode's end, or the episode open, and ending on or after its start) whose placement is unexpected
/// (709: PLACE not of `expected`: K2, Z12, Z13) or not allowed (710: PLACE of `not_allowed`: K1, P1, R5,
/// K3). The validator flags both rows; one rule a table for each code.
enum DoLOPlacement {
    static let dolo = "ssda903.dolo"
    static let unexpectedParameters: [String: RuleParameter.Kind] = ["expected": .codes]
    static let notAllowedParameters: [String: RuleParameter.Kind] = ["not_allowed": .codes]

    static func unexpected(_ run: RuleRun) -> (String) -> Bool {
        let expected = run.codes("expected")
        return { !expected.contains($0) }
    }
    static func notAllowed(_ run: RuleRun) -> (String) -> Bool {
        let notAllowed = run.codes("not_allowed")
        return { notAllowed.contains($0) }
    }

    /// Episode cells: DECOM, DEC, PLACE; DoLO cells: DOLO_START, DOLO_END.
    static func overlaps(_ episode: RuleRow, _ order: RuleRow, _ wrong: (String) -> Bool) -> Bool {
        guard let start = order[0], let end = order[1], let decom = episode[0], let place = episode[2], wrong(place) else { return false }
        return (episode[1].map { start <= $0 } ?? true) && end >= decom
    }

    struct UnexpectedEpisode: SequenceRule {
        static let fields = ["DECOM", "DEC", "PLACE"]
        static let others = [dolo: ["DOLO_START", "DOLO_END"]]
        static let parameters = unexpectedParameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let wrong = unexpected(run)
            return SequenceRules.paired(rows, with: others[dolo]) { overlaps($0, $1, wrong) }
        }
    }

    struct UnexpectedOrder: SequenceRule {
        static let fields = ["DOLO_START", "DOLO_END"]
        static let others = [CareFacts.episodes: ["DECOM", "DEC", "PLACE"]]
        static let parameters = unexpectedParameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let wrong = unexpected(run)
            return SequenceRules.paired(rows, with: others[CareFacts.episodes]) { overlaps($1, $0, wrong) }
        }
    }

    struct NotAllowedEpisode: SequenceRule {
        static let fields = ["DECOM", "DEC", "PLACE"]
        static let others = [dolo: ["DOLO_START", "DOLO_END"]]
        static let parameters = notAllowedParameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let wrong = notAllowed(run)
            return SequenceRules.paired(rows, with: others[dolo]) { overlaps($0, $1, wrong) }
        }
    }

    struct NotAllowedOrder: SequenceRule {
        static let fields = ["DOLO_START", "DOLO_END"]
        static let others = [CareFacts.episodes: ["DECOM", "DEC", "PLACE"]]
        static let parameters = notAllowedParameters
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let wrong = notAllowed(run)
            return SequenceRules.paired(rows, with: others[CareFacts.episodes]) { overlaps($1, $0, wrong) }
        }
    }
}
