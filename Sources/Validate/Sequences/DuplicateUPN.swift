import RCCCore

/// DfE 444 (SSDA903 Header) and 1520 (CIN child): a UPN given for more than one child of the return; every
/// row with it fails. Over all children's rows together.
enum DuplicateUPN {
    static func failing(_ rows: RuleRows, ignoring ignored: CodeSet) -> [Int] {
        let byUPN = Dictionary(grouping: rows.indices.filter { rows[$0][0].map { !ignored.contains($0) } ?? false }) { rows[$0][0]! }
        return byUPN.values.filter { $0.count > 1 }.flatMap { $0 }.sorted()
    }

    /// 444: the unknown-UPN codes (`may_repeat`: UN1-UN5) may repeat.
    struct Header: AcrossChildrenRule {
        static let fields = ["UPN"]
        static let parameters: [String: RuleParameter.Kind] = ["may_repeat": .codes]
        static func failing(_ rows: RuleRows, in run: RuleRun) -> [Int] {
            DuplicateUPN.failing(rows, ignoring: run.codes("may_repeat"))
        }
    }

    /// 1520: as the validator has it, any UPN given twice.
    struct CINChild: AcrossChildrenRule {
        static let fields = ["UPN"]
        static func failing(_ rows: RuleRows) -> [Int] { DuplicateUPN.failing(rows, ignoring: []) }
    }
}
