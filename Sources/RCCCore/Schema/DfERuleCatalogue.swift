/// The DfE's own validation rules for one collection (`schemas/rules/dfe/COLLECTION.yaml`), as reference
/// data: what an LA's data team knows by code. Which of them rcc checks, and how, is found by matching
/// these codes against the rules and field checks in the schemas (`rcc rules --coverage`).
public struct DfERuleCatalogue: Sendable, Codable, Hashable {
    public struct Rule: Sendable, Codable, Hashable {
        public var code: String
        public var message: String
        public var tables: [String]?
        public var fields: [String]?
        public var years: YearRange?
        /// Reference data beyond the return the rule needs (`previous-year`, `ofsted`, `postcodes`).
        public var needs: [String]?
        /// How the rule reads: row, lookup, sequence, aggregate or reference.
        public var kind: String?
        public var severity: String?
        /// Why no rule can ever fail it, where that is so (a check between two fields both derived from the
        /// same data, say): such a rule is not written, and coverage says why instead of "not yet".
        public var cannotFail: String?
    }

    public var collection: String
    public var source: String?
    public var rules: [Rule]
}
