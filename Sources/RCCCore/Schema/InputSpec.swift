/// The spec of one input table (an SSDA903 CSV table, later CIN census and local extract shapes),
/// read from `schemas/inputs/`. The vocabulary follows Frictionless Table Schema: `fields` with
/// `name`, `type`, `constraints`, plus `primaryKey` and `foreignKeys`.
public struct InputSpec: Sendable, Codable, Hashable {
    /// Stable id, e.g. `ssda903.episodes`.
    public var id: String
    /// The collection the table belongs to, e.g. `ssda903`.
    public var collection: String
    public var title: String
    public var fields: [FieldSpec]
    public var primaryKey: [String]?
    public var foreignKeys: [ForeignKey]?

    public init(id: String, collection: String, title: String, fields: [FieldSpec],
                primaryKey: [String]? = nil, foreignKeys: [ForeignKey]? = nil) {
        self.id = id
        self.collection = collection
        self.title = title
        self.fields = fields
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
    }

    /// The index of a field by its spec name.
    public func index(of field: String) -> Int? {
        fields.firstIndex { $0.name == field }
    }
}

/// One column of an input table.
public struct FieldSpec: Sendable, Codable, Hashable {
    public enum FieldType: String, Sendable, Codable, Hashable {
        /// Free text (identifiers included).
        case string
        case integer
        /// A calendar date in one of `formats`; normalised to ISO `yyyy-mm-dd`.
        case date
        /// A value from the code list named by `codelist`.
        case code
        /// A DfE unique pupil number: 13 characters with a check letter, or an `unknown` code.
        case upn
        /// A UK postcode; normalised to upper case with one space before the inward code.
        case postcode
    }

    public struct Constraints: Sendable, Codable, Hashable {
        public var required: Bool?
        public var maxLength: Int?
        /// A regular expression the whole value must match.
        public var pattern: String?
        public init(required: Bool? = nil, maxLength: Int? = nil, pattern: String? = nil) {
            self.required = required
            self.maxLength = maxLength
            self.pattern = pattern
        }
    }

    /// DfE codes of the checks on this field, when the DfE rules have one (`required`, `type`, `code`).
    public struct DfECodes: Sendable, Codable, Hashable {
        public var required: String?
        public var type: String?
        public var code: String?
        public init(required: String? = nil, type: String? = nil, code: String? = nil) {
            self.required = required
            self.type = type
            self.code = code
        }
    }

    public var name: String
    public var title: String?
    public var description: String?
    public var type: FieldType
    /// Other header spellings seen in LA files (matched after normalising case, spaces and punctuation).
    public var aliases: [String]?
    /// Accepted date formats, e.g. `dd/mm/yyyy` (dates only).
    public var formats: [String]?
    /// Code list id for `code` fields, or the list of unknown-UPN codes for `upn` fields.
    public var codelist: String?
    public var constraints: Constraints?
    public var dfe: DfECodes?
    /// What a failed check does to the row: quarantine (the default) or load with a finding.
    public var onInvalid: Diagnostic.Action?

    public init(name: String, type: FieldType, aliases: [String]? = nil, formats: [String]? = nil,
                codelist: String? = nil, constraints: Constraints? = nil) {
        self.name = name
        self.type = type
        self.aliases = aliases
        self.formats = formats
        self.codelist = codelist
        self.constraints = constraints
    }

    public var isRequired: Bool { constraints?.required ?? false }
}

/// A reference from fields of one table to the key of another table of the same return.
public struct ForeignKey: Sendable, Codable, Hashable {
    public struct Reference: Sendable, Codable, Hashable {
        public var table: String
        public var fields: [String]
    }
    public var fields: [String]
    public var reference: Reference
}
