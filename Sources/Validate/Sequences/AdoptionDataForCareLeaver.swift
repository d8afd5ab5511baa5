/// DfE 134: adoption data (an AD1 row with any item) for a child with care leaver data (an OC3 row with any item).
struct AdoptionDataForCareLeaver: SequenceRule {
    static let fields = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
    static let others = ["ssda903.oc3": ["IN_TOUCH", "ACTIV", "ACCOM"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others["ssda903.oc3"].contains(where: { $0.contains { $0 != nil } }) else { return [] }
        return rows.indices.filter { rows[$0].contains { $0 != nil } }
    }
}
