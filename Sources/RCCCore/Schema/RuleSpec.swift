/// A validation rule beyond single-field checks, kept as data in `schemas/rules/`.
///
/// Each rule has a stable dotted id, its DfE code where it has one, message, severity, what a
/// failing row does, the table and fields it concerns, and the collection years it is in force.
/// Its logic is a `kind` with parameters:
/// - `compare`: `left op right` on two fields of one row (dates compare as dates); skipped when either is blank.
/// - `required-with`: `field` must be present when `when` is present.
/// - `blank-with`: `field` must be blank when `when` is blank.
/// - `exists-in`: the row's `fields` are the key of a loaded row of `reference` in the same return.
/// - `unique`: no two rows of the table share `fields`.
/// - `expression`: `check` (a condition in the rule language, see `Validate/Expressions`) must not be
///   false, on rows where `applies` (another condition, when given) is true.
///
/// - `aggregate`: a rule about the whole return, not a row (the DfE's LA-level rules): `counts` are
///   counted while the return's rows go by (counters only: no row is kept), and `check` (a condition
///   over the counts' names) must not be false once every row has been read; a failing rule makes one
///   finding with no row and no child.
///
/// `cases` sit beside the rule: rows it must pass and fail, which the tests run through the engine.
public struct RuleSpec: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case compare
        case requiredWith = "required-with"
        case blankWith = "blank-with"
        case existsIn = "exists-in"
        case unique
        case expression
        /// Over a child's rows together, in order: Swift registered by the rule's id (`Validate/Sequences`).
        case sequence
        /// Over the whole return: counts made as the rows go by, checked at its end (`Validate/Aggregates`).
        case aggregate
    }

    /// For an `aggregate` rule: one count made while the return's rows go by. Of the rows of `table`
    /// that meet `when` (every row without it; a condition in the rule language, on the row's values as
    /// the field checks left them, a value that failed its check blank): how many there are; or with
    /// `distinct`, how many different values of that field they have (for a field of few values, a code);
    /// or with `most`, the most of them in a row sharing that field's value (a child's rows of a table
    /// come together in the CIN XML: `most: LAchildID` is the most rows one child has).
    public struct Count: Sendable, Codable, Hashable {
        public var table: String
        public var when: String?
        public var distinct: String?
        public var most: String?
        public init(table: String, when: String? = nil, distinct: String? = nil, most: String? = nil) {
            self.table = table; self.when = when; self.distinct = distinct; self.most = most
        }
    }

    /// A row the rule must pass or fail (`pass` or `fail`, field name → value as a return writes it),
    /// after the rows of `before` (same table) and `with` (other tables of the return, by table id).
    public struct Case: Sendable, Codable, Hashable {
        public var pass: [String: String]?
        public var fail: [String: String]?
        public var before: [[String: String]]?
        public var with: [String: [[String: String]]]?
        public var note: String?
        /// For a sequence rule: one child's rows, and which of them (counted from 1) must fail.
        public var rows: [[String: String]]?
        public var failing: [Int]?
        /// For a rule that needs the previous year's return: the child's rows in it, by table id.
        public var last: [String: [[String: String]]]?
        /// For a rule that needs the postcode directory: its rows, by its columns' names (pcds, oslaua…).
        public var postcodes: [[String: String]]?
        /// For a rule that needs Ofsted's provider list: its rows, by its columns' names (URN, PLACE_CODES…).
        public var ofsted: [[String: String]]?
        /// For an `aggregate` rule: whether the small return of `with` (table → rows) makes its finding.
        public var fires: Bool?
    }

    public var id: String
    public var dfe: String?
    public var message: String
    public var severity: Diagnostic.Severity
    public var action: Diagnostic.Action
    public var table: String
    /// For a `sequence` rule reading a child's rows of other tables too: those tables (its findings are on
    /// rows of `table`).
    public var tables: [String]?
    public var fields: [String]
    public var years: YearRange?
    public var kind: Kind
    /// Reference data from outside the return the rule reads (`previous-year`, `ofsted`, `postcodes`):
    /// it runs only when that data is supplied (`rcc ingest --reference DIR`).
    public var needs: [String]?

    // Parameters, by kind.
    public var left: String?
    public var op: String?
    public var right: String?
    public var field: String?
    public var when: String?
    public var reference: ForeignKey.Reference?
    /// For `expression`: the condition a row must meet, and the one saying where the rule applies.
    /// For `aggregate`: the condition the counts (by name) must meet.
    public var check: String?
    /// For `aggregate`: the counts, by the names `check` reads them by.
    public var counts: [String: Count]?
    public var applies: String?
    /// For `sequence`: the codes and thresholds its Swift reads, by name (`temporary: [T0, T1]`,
    /// `most_days: 75`), so that adding a code or moving a threshold is a change here, not in Swift. The
    /// Swift declares the names and kinds it reads; compiling the rule checks they are all given, and no others.
    public var parameters: [String: RuleParameter]?
    public var cases: [Case]?

    public func isInForce(in year: Int) -> Bool { years?.contains(year) ?? true }

    /// Whether the reference data the rule needs is all in `available`.
    public func canRun(with available: Set<String>) -> Bool { Set(needs ?? []).isSubset(of: available) }
}

/// Collection years a rule or code applies to, both ends inclusive and optional.
public struct YearRange: Sendable, Codable, Hashable {
    public var from: Int?
    public var to: Int?

    public init(from: Int?, to: Int?) {
        self.from = from
        self.to = to
    }

    public func contains(_ year: Int) -> Bool {
        if let from, year < from { return false }
        if let to, year > to { return false }
        return true
    }
}

/// A value a `sequence` rule's Swift reads from its entry in `schemas/rules/` (`parameters:`): a number
/// (days, years of age, a count), one code, a list of codes, or codes mapped to others (`{K3: [H5]}`: a code
/// that counts as those).
public enum RuleParameter: Sendable, Codable, Hashable {
    case number(Int)
    case code(String)
    case codes([String])
    case mapping([String: [String]])

    public enum Kind: String, Sendable {
        case number, code, codes, mapping
    }

    public var kind: Kind {
        switch self {
        case .number: .number
        case .code: .code
        case .codes: .codes
        case .mapping: .mapping
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            self = .codes(list)
        } else if let map = try? container.decode([String: [String]].self) {
            self = .mapping(map)
        } else if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .code(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let n): try container.encode(n)
        case .code(let c): try container.encode(c)
        case .codes(let list): try container.encode(list)
        case .mapping(let map): try container.encode(map)
        }
    }
}
