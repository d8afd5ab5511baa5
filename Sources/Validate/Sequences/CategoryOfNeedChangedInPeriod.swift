import RCCCore

/// DfE 504: an episode continuing the previous one (ceased `continuation`, X1, the day it starts) keeps its category of need.
struct CategoryOfNeedChangedInPeriod: SequenceRule {
    static let fields = ["DECOM", "DEC", "REC", "CIN"]
    static let parameters: [String: RuleParameter.Kind] = ["continuation": .codes]

    static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
        let continuation = run.codes("continuation")
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard continuation.contains(rows[previous][2] ?? ""), let started = rows[current][0], rows[previous][1] == started else { return nil }
            // As the validator compares: a blank is never the same as anything, itself included.
            return rows[current][3] == nil || rows[current][3] != rows[previous][3] ? current : nil
        }.sorted()
    }
}
