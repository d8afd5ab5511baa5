/// DfE 8790: a child has disability NONE and another disability code; the other codes' rows fail, as the
/// validator flags them.
struct DisabilityNoneWithOthers: SequenceRule {
    static let fields = ["Disability"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        guard rows.contains(where: { $0[0] == "NONE" }) else { return [] }
        return rows.indices.filter { rows[$0][0] != "NONE" }
    }
}
