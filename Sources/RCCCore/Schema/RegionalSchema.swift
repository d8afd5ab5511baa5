/// A table of the regional schema (`schemas/regional/tables/`): what analysts query, with every
/// column's meaning, type and privacy treatment documented.
public struct RegionalTable: Sendable, Codable, Hashable {
    public var table: String
    public var description: String
    public var columns: [RegionalColumn]
    /// Columns to index, each list one index.
    public var indexes: [[String]]?
}

/// A column of a regional table, and how its value is made from the input.
public struct RegionalColumn: Sendable, Codable, Hashable {
    public enum ColumnType: String, Sendable, Codable, Hashable { case text, integer, date }

    /// How a value is treated on its way to the warehouse; the DPO report lists these.
    public enum Treatment: String, Sendable, Codable, Hashable {
        /// Copied as validated (codes, flags).
        case kept
        /// Replaced by a keyed HMAC-SHA256 pseudonym in `namespace`.
        case pseudonymised
        /// A date reduced to the first day of its month.
        case firstOfMonth = "first-of-month"
        /// A postcode reduced to its sector (`M1 1AE` → `M1 1`).
        case postcodeSector = "postcode-sector"
        /// Whole years between two dates (birth, event), computed from raw dates before coarsening.
        case ageYears = "age-years"
        /// The return's LA code.
        case returnLA = "return-la"
        /// The return's collection year.
        case returnYear = "return-year"
        /// The return's collection (`ssda903`, `cin`, `ssd`): tells apart the rows of a table that
        /// two collections fill, such as `children`.
        case returnCollection = "return-collection"
        /// Kept only when it is a code of `codelist`, otherwise blank.
        case codeIfListed = "code-if-listed"
    }

    public enum Namespace: String, Sendable, Codable, Hashable {
        /// An LA's own child id: unique only within the LA, so scoped by LA code.
        case laChild = "la-child"
        /// A national unique pupil number: links a child across LAs.
        case upn
    }

    public var name: String
    public var type: ColumnType
    public var description: String
    public var treatment: Treatment
    public var namespace: Namespace?
    /// For `pseudonymised`: values in this code list are not identifiers and load as blank.
    /// For `code-if-listed`: the code list whose codes are kept.
    public var codelist: String?
}

/// How one input table fills one regional table (`schemas/regional/mappings/`).
public struct Mapping: Sendable, Codable, Hashable {
    public struct Column: Sendable, Codable, Hashable {
        /// The regional column filled.
        public var column: String
        /// Source fields: a field of the input table, or `TABLE.FIELD` of a referenced table,
        /// looked up through the input table's foreign key.
        public var from: [String]

        private enum CodingKeys: String, CodingKey { case column, from }

        /// `from` may be one field name or a list of them.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            column = try container.decode(String.self, forKey: .column)
            if let single = try? container.decode(String.self, forKey: .from) {
                from = [single]
            } else {
                from = try container.decode([String].self, forKey: .from)
            }
        }
    }

    public var source: String
    public var target: String
    public var columns: [Column]
}
