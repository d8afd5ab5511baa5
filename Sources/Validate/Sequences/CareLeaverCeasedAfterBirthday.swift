/// DfE 1016: care leaver data (an OC3 row with any item) for a child 17 at 31 March with an episode ending
/// on or after its 17th birthday, or 18 at 31 March with one ending on or after its 18th.
struct CareLeaverCeasedAfterBirthday: SequenceRule {
    static let fields = ["DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
    static let others = [CareFacts.episodes: CareFacts.episodeFields]

    static func failing(_ rows: [[String?]], others: ChildRows, in period: CollectionPeriod) -> [Int] {
        rows.indices.filter { i in
            let row = rows[i]
            guard row[1...].contains(where: { $0 != nil }),
                  let seventeen = CareFacts.adding(years: 17, to: row[0]), let eighteen = CareFacts.adding(years: 18, to: row[0]),
                  let nineteen = CareFacts.adding(years: 19, to: row[0]), seventeen <= period.endISO, nineteen > period.endISO
            else { return false }
            let birthday = eighteen <= period.endISO ? eighteen : seventeen
            return others[CareFacts.episodes].contains { e in e[1].map { $0 >= birthday } ?? false }
        }
    }
}
