/// DfE 1007: care leaver data (an OC3 row with any item) for a child 17 or 18 at 31 March who was looked
/// after on its latest birthday (an episode that started on or before it and ended after it; as the
/// validator compares, an open episode does not count).
struct CareLeaverStillLookedAfterAtBirthday: SequenceRule {
    static let fields = ["DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        rows.indices.filter { i in
            guard let birthday = CareFacts.careLeaverBirthday(rows[i], in: run) else { return false }
            return others[CareFacts.episodes].contains { e in
                guard let decom = e[0], let dec = e[1] else { return false }
                return decom <= birthday && dec > birthday
            }
        }
    }
}
