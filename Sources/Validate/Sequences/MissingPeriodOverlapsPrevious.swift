/// DfE 574: a child's missing/away period starts while the one before it (in order of end) is open or not yet over.
struct MissingPeriodOverlapsPrevious: SequenceRule {
    static let fields = ["MIS_START", "MIS_END"]

    static func failing(_ rows: RuleRows) -> [Int] {
        // In order of end (an open period counts as ending the day it started), then of start; blanks last.
        func key(_ i: Int) -> (String?, String?) { (rows[i][1] ?? rows[i][0], rows[i][0]) }
        let order = rows.indices.sorted { a, b in
            let (x, y) = (key(a), key(b))
            if x.0 != y.0 { return before(x.0, y.0) }
            if x.1 != y.1 { return before(x.1, y.1) }
            return a < b
        }
        var failing: [Int] = []
        for (previous, current) in zip(order, order.dropFirst()) {
            guard let ended = rows[previous][1] else { failing.append(current); continue }
            if let started = rows[current][0], started < ended { failing.append(current) }
        }
        return failing.sorted()
    }

    /// Whether `x` sorts before `y` (they differ): dates ascending, blanks last.
    private static func before(_ x: String?, _ y: String?) -> Bool {
        switch (x, y) {
        case let (x?, y?): x < y
        case (.some, nil): true
        default: false
        }
    }
}
