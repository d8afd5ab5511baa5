/// DfE 602: adoption data (an AD1 row with any item) for a child with no episode ending in adoption (REC of
/// `adopted`: E11, E12) in the collection year.
struct AdoptionDataWithoutAdoption: SequenceRule {
    static let fields = AdoptionDataIncomplete.ad1Fields
    static let others = [CareFacts.episodes: ["DEC", "REC"]]
    static let parameters = AdoptionDataIncomplete.parameters

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned(CareFacts.episodes), !others[CareFacts.episodes].contains(where: AdoptionDataIncomplete.adoptedInYear(run)) else { return [] }
        return rows.indices.filter { rows[$0].contains { $0 != nil } }
    }
}
