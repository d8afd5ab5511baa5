/// DfE 580: an episode ends on the child's 18th birthday, the day a missing period also ends, with a reason
/// other than E8.
struct MissingAtEighteenNotE8: SequenceRule {
    static let fields = ["DEC", "REC"]
    static let others = ["ssda903.missing": ["DOB", "MIS_END"]]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        let endsAtEighteen = Set(others["ssda903.missing"].compactMap { m -> String? in
            guard let end = m[1], CareFacts.adding(years: 18, to: m[0]) == end else { return nil }
            return end
        })
        return rows.indices.filter { i in
            guard let dec = rows[i][0], endsAtEighteen.contains(dec) else { return false }
            return rows[i][1] != "E8"
        }
    }
}
