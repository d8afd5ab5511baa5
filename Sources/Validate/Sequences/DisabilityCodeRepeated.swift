/// DfE 8794: a child has the same disability code more than once; every such row fails.
struct DisabilityCodeRepeated: SequenceRule {
    static let fields = ["Disability"]

    static func failing(_ rows: RuleRows) -> [Int] {
        let counts = Dictionary(grouping: rows.indices.filter { rows[$0][0] != nil }) { rows[$0][0]! }
        return counts.values.filter { $0.count > 1 }.flatMap { $0 }.sorted()
    }
}
