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
    func failing(_ rows: [[String?]], last: [String?]?) -> [Int]
    /// The same, for a rule that also reads the postcode directory (`needs: [previous-year, postcodes]`).
    func failing(_ rows: [[String?]], last: [String?]?, postcodes: PostcodeDirectory?) -> [Int]
}

extension PreviousYearSequenceRule {
    public var lastTable: String? { nil }
    public func failing(_ rows: [[String?]], last: [String?]?, postcodes: PostcodeDirectory?) -> [Int] { failing(rows, last: last) }
}
