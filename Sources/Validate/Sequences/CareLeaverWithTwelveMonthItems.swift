/// DfE 215: a child has care leaver data (an OC3 row with any item) and data for children looked after for
/// 12 months (an OC2 row with any of convictions, health, substance misuse). The validator flags both rows.
enum CareLeaverWithTwelveMonthItems {
    static let oc2 = "ssda903.oc2", oc3 = "ssda903.oc3"
    static let oc2Fields = ["CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
                            "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
    static let oc3Fields = ["IN_TOUCH", "ACTIV", "ACCOM"]

    static func anyGiven(_ rows: RuleRows) -> Bool { rows.contains { $0.contains { $0 != nil } } }

    struct CareLeaver: SequenceRule {
        static let fields = oc3Fields
        static let others = [oc2: oc2Fields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            anyGiven(others[oc2]) ? rows.indices.filter { rows[$0].contains { $0 != nil } } : []
        }
    }

    struct LookedAfter: SequenceRule {
        static let fields = oc2Fields
        static let others = [oc3: oc3Fields]
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            anyGiven(others[oc3]) ? rows.indices.filter { rows[$0].contains { $0 != nil } } : []
        }
    }
}
