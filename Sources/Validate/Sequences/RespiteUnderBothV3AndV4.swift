/// DfE 426: a child's respite episodes are all under legal status V3 or all under V4, not both in one return.
struct RespiteUnderBothV3AndV4: SequenceRule {
    static let fields = ["LS"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let respite = rows.indices.filter { rows[$0][0] == "V3" || rows[$0][0] == "V4" }
        let both = respite.contains { rows[$0][0] == "V3" } && respite.contains { rows[$0][0] == "V4" }
        return both ? respite : []
    }
}
