/// DfE 302 (Episodes rows): the child's first episode starts before the Header's date of birth.
struct FirstEpisodeBeforeBirth: SequenceRule {
    static let fields = ["DECOM"]
    static let others = ["ssda903.header": ["DOB"]]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard let dob = others["ssda903.header"].first?[0], let first = SequenceRules.ordered(rows, by: 0).first,
              let decom = rows[first][0], dob > decom else { return [] }
        return [first]
    }
}
