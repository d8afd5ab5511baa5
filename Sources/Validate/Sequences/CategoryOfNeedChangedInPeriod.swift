/// DfE 504: an episode continuing the previous one (ceased X1 the day it starts) keeps its category of need.
struct CategoryOfNeedChangedInPeriod: SequenceRule {
    static let fields = ["DECOM", "DEC", "REC", "CIN"]

    static func failing(_ rows: [[String?]]) -> [Int] {
        let order = SequenceRules.ordered(rows, by: 0)
        return zip(order, order.dropFirst()).compactMap { previous, current in
            guard rows[previous][2] == "X1", let started = rows[current][0], rows[previous][1] == started else { return nil }
            // As the validator compares: a blank is never the same as anything, itself included.
            return rows[current][3] == nil || rows[current][3] != rows[previous][3] ? current : nil
        }.sorted()
    }
}
