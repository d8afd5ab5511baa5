import RCCCore

/// DfE 8790: a child has disability `no_disability` (NONE) and another disability code; the other codes'
/// rows fail, as the validator flags them.
struct DisabilityNoneWithOthers: SequenceRule {
    static let fields = ["Disability"]
    static let parameters: [String: RuleParameter.Kind] = ["no_disability": .code]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let none = run.code("no_disability")
        guard rows.contains(where: { $0[0] == none }) else { return [] }
        return rows.indices.filter { rows[$0][0] != none }
    }
}
