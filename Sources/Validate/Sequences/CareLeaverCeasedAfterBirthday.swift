/// DfE 1016: care leaver data (an OC3 row with any item) for a child 17 at 31 March with an episode ending
/// on or after its 17th birthday, or 18 at 31 March with one ending on or after its 18th.
struct CareLeaverCeasedAfterBirthday: SequenceRule {
    static let fields = ["DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        rows.indices.filter { i in
            guard let birthday = CareFacts.careLeaverBirthday(rows[i], in: run) else { return false }
            return others[CareFacts.episodes].contains { e in e[1].map { $0 >= birthday } ?? false }
        }
    }
}
