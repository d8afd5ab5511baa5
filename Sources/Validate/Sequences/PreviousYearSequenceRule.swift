import RCCCore

/// A rule over one child's rows of a table this year together with the child's row of last year's
/// return (`needs: [previous-year]`): what a row condition cannot say because it needs the child's first
/// row this year. Registered, like `SequenceRule`s, by the id of its entry in `schemas/rules/`; an
/// instance, so that one Swift rule can serve several DfE codes that differ in the field they compare.
public protocol PreviousYearSequenceRule: Sendable {
    /// This year's fields it reads, in the order `failing` gets them.
    var fields: [String] { get }
    /// Last year's table it reads (nil: the same table).
    var lastTable: String? { get }
    /// The fields of the child's latest row of that table last year, in the order `failing` gets them.
    var lastFields: [String] { get }
    /// The indexes of this year's rows that break the rule; `last` is nil when the child had no row.
    func failing(_ rows: RuleRows, last: [String?]?) -> [Int]
    /// The same, for a rule that also reads the postcode directory (`needs: [previous-year, postcodes]`).
    func failing(_ rows: RuleRows, last: [String?]?, postcodes: PostcodeDirectory?) -> [Int]
    /// The fields it reads of the child's rows this year of other tables, by table (the YAML names those
    /// tables in `tables:`, as for a `SequenceRule`).
    var others: [String: [String]] { get }
    /// The version the engine calls: with the child's rows this year of `others` (cells in the order given
    /// there) and the ONS code of the return's own LA (`localLA`, nil when `la-england` does not list it).
    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, postcodes: PostcodeDirectory?, localLA: String?) -> [Int]
    /// Whether it reads every row of the child last year, not only the latest (`lastRows`).
    var readsEveryLastRow: Bool { get }
    /// The same with every row of the child last year (`lastFields` of each, in the order read), for a rule
    /// that `readsEveryLastRow`.
    func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                 localLA: String?, in run: RuleRun) -> [Int]
    /// The codes and thresholds it reads from its entry's `parameters:`, as for a `SequenceRule`.
    var parameters: [String: RuleParameter.Kind] { get }
}

extension PreviousYearSequenceRule {
    public var lastTable: String? { nil }
    public var others: [String: [String]] { [:] }
    public func failing(_ rows: RuleRows, last: [String?]?, postcodes: PostcodeDirectory?) -> [Int] { failing(rows, last: last) }
    public func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, postcodes: PostcodeDirectory?, localLA: String?) -> [Int] {
        failing(rows, last: last, postcodes: postcodes)
    }
    public var readsEveryLastRow: Bool { false }
    public var parameters: [String: RuleParameter.Kind] { [:] }
    public func failing(_ rows: RuleRows, others: ChildRows, last: [String?]?, lastRows: RuleRows, postcodes: PostcodeDirectory?,
                        localLA: String?, in run: RuleRun) -> [Int] {
        failing(rows, others: others, last: last, postcodes: postcodes, localLA: localLA)
    }
}
