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
    /// Whether the table is also sent as CSV and recognised by its header (default true); false for
    /// XML-only tables such as the CIN census's.
    public var csv: Bool?
    /// For a table of several rows a child: the date field that orders a child's rows, whose latest row
    /// stands for the child where one row is wanted (last year's episode open at its end, say).
    public var latestBy: String?
    /// How the table is read from an XML document (the CIN census); nil for delimited tables.
    /// Each field then says in `FieldSpec.xml` where its value comes from.
    public var xml: XMLBinding?

    public init(id: String, collection: String, title: String, fields: [FieldSpec],
                primaryKey: [String]? = nil, foreignKeys: [ForeignKey]? = nil) {
        self.id = id
        self.collection = collection
        self.title = title
        self.fields = fields
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
    }

    /// Whether a CSV header can be recognised as this table.
    public var readsCSV: Bool { csv ?? true }

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
    /// A UPN field's check can give each wrong part of the UPN its own code (`upn`: part → code, the
    /// parts `digits`, `last-character`, `length`, `la-code`, `check-letter`; see `UPN.Part`); a part
    /// with none takes `type`'s.
    public struct DfECodes: Sendable, Codable, Hashable {
        public var required: String?
        public var type: String?
        public var code: String?
        public var upn: [String: String]?
        public init(required: String? = nil, type: String? = nil, code: String? = nil, upn: [String: String]? = nil) {
            self.required = required
            self.type = type
            self.code = code
            self.upn = upn
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
    /// Where the value comes from in an XML document, for tables with an `InputSpec.xml` binding:
    /// a path in the vocabulary described on `XMLBinding`, e.g. `ChildIdentifiers/LAchildID`,
    /// `/ChildIdentifiers/LAchildID`, `ChildIdentifiers/GenderCurrent|ChildIdentifiers/Sex`,
    /// `//Header/Source/LEA`, `.` or `#ordinal(CINdetails)`.
    public var xml: String?
    /// False for an item only the XML carries (the SSDA903 Header's `UASC`): a delimited file's header is
    /// recognised without it, a column of that name there is not read, and the cell is blank.
    public var csv: Bool?

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
    /// Whether a delimited file carries the field (see `csv`).
    public var readsCSV: Bool { csv ?? true }
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

/// How the rows of one table are cut out of an XML document, such as the CIN census.
///
/// An XML document is read as a stream, one *unit* at a time: the subtree of one element (one
/// `Child`) is held in memory, its rows are made, and it is dropped. Paths are element local names
/// (any namespace prefix ignored) joined by `/`, starting at the root element:
///
/// - `root`: the document's root element, e.g. `Message`.
/// - `unit`: the element read as one unit, e.g. `Message/Children/Child`. Units do not nest.
/// - `row`: the element one occurrence of which makes one row: the unit itself or an element below
///   it, e.g. `Message/Children/Child/CINdetails/Assessments`. For a repeated value (a child's
///   disabilities, an assessment's factors) the row is the repeated element itself,
///   `…/Disabilities/Disability`, and the field reads it with `.`.
///
/// Each field's `FieldSpec.xml` says where its value comes from. Alternatives are separated by `|`
/// and the first one present (an element with non-blank text) wins, e.g. for a layout that
/// changed: `ChildIdentifiers/GenderCurrent|ChildIdentifiers/Sex`. Each alternative is one of:
///
/// - `Name/Name`: a path below the row element. A path that matches two elements with text where
///   a row has room for one marks the row as unreadable (`Record.problem`).
/// - `.`: the row element's own text.
/// - `../Name`: a path from an ancestor of the row element, one `..` per level (not above the unit).
/// - `/Name/Name`: a path below the unit element, e.g. `/ChildIdentifiers/LAchildID`, so that
///   every row of a child carries the child's id.
/// - `//Name/Name`: a path below the root element, outside any unit (the document header), e.g.
///   `//Header/Source/LEA`; read from what came before the unit in the document.
/// - `#ordinal(Name)`: a generated key: the 1-based position of the row's nearest enclosing `Name`
///   element (the row element itself included) among the elements of that name under the same
///   parent, e.g. `#ordinal(CINdetails)` numbers a child's referrals, and an assessment row carries
///   its referral's number. `#ordinal` alone is the row element's own position.
///
/// The value is the element's own text (not its descendants'), trimmed; blank is nil.
///
/// `when` makes a row only where a condition holds, for tables whose items sit loose in a parent
/// element: `PATH=VALUE` (the value found at PATH, relative to the row as a field's path is, equals
/// VALUE) or `PATH` (PATH has a value), or several such joined by ` or ` (one holding is enough). The
/// SSDA903 XML's UASC rows, for instance, are the HEADERs `when: UASC=1 or DUC`.
public struct XMLBinding: Sendable, Codable, Hashable {
    public var root: String
    public var unit: String
    public var row: String
    public var when: String?

    public init(root: String, unit: String, row: String, when: String? = nil) {
        self.when = when
        self.root = root
        self.unit = unit
        self.row = row
    }

    /// One place a field's value can come from (one alternative of `FieldSpec.xml`).
    public enum Source: Sendable, Hashable {
        /// `.`: the row element's text.
        case rowText
        /// `A/B`, `../A`: `up` levels above the row element, then down `steps`.
        case row(up: Int, steps: [String])
        /// `/A/B`: below the unit element.
        case unit(steps: [String])
        /// `//A/B`: below the root element, outside the units.
        case document(steps: [String])
        /// `#ordinal(Name)` (nil name: `#ordinal`, the row element).
        case ordinal(of: String?)
    }

    /// `unit` split into element names.
    public var unitPath: [String] { unit.split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
    /// `row` split into element names.
    public var rowPath: [String] { row.split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
    /// The names from the unit (exclusive) down to the row element (inclusive); empty when the row is the unit.
    public var rowBelowUnit: [String] { Array(rowPath.dropFirst(unitPath.count)) }

    /// Parses a field's `xml` text into its alternatives, or says what is wrong with it.
    public static func sources(_ text: String) throws -> [Source] {
        func fail(_ why: String) -> RCCError { RCCError(.schema, "xml path \"\(text)\": \(why)") }
        func names(_ part: Substring) throws -> [String] {
            let steps = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            for step in steps where !isName(step) {
                throw fail(step.isEmpty ? "an empty step" : "\"\(step)\" is not an element name")
            }
            return steps
        }
        var result: [Source] = []
        for raw in text.split(separator: "|", omittingEmptySubsequences: false) {
            let alt = String(raw.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            if alt.isEmpty { throw fail("an empty alternative") }
            if alt == "." {
                result.append(.rowText)
            } else if alt == "#ordinal" {
                result.append(.ordinal(of: nil))
            } else if alt.hasPrefix("#ordinal(") && alt.hasSuffix(")") {
                let name = String(alt.dropFirst("#ordinal(".count).dropLast())
                guard isName(name) else { throw fail("#ordinal names no element") }
                result.append(.ordinal(of: name))
            } else if alt.hasPrefix("#") {
                throw fail("\(alt) is not a generated value (only #ordinal and #ordinal(Name))")
            } else if alt.hasPrefix("//") {
                result.append(.document(steps: try names(alt.dropFirst(2))))
            } else if alt.hasPrefix("/") {
                result.append(.unit(steps: try names(alt.dropFirst())))
            } else {
                var rest = Substring(alt)
                var up = 0
                while rest.hasPrefix("../") { up += 1; rest = rest.dropFirst(3) }
                if rest == ".." { throw fail("a path must end at an element below the ancestor") }
                result.append(.row(up: up, steps: try names(rest)))
            }
        }
        return result
    }

    /// Whether `text` can be an element (local) name in a path.
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text != "." && text != ".."
            && !text.contains { $0 == "/" || $0 == "|" || $0 == "(" || $0 == ")" || $0 == "#" || $0 == "@" || $0 == "*" || $0.isWhitespace }
    }

    /// What is wrong with the binding of `spec` (its paths and every field's `xml`), if anything.
    public func problems(in spec: InputSpec) -> [String] {
        var problems: [String] = []
        let unitPath = self.unitPath, rowPath = self.rowPath
        if !Self.isName(root) { problems.append("\(spec.id): xml.root \"\(root)\" is not an element name") }
        if unitPath.first != root || !unitPath.allSatisfy(Self.isName) {
            problems.append("\(spec.id): xml.unit \"\(unit)\" must be a path of element names starting at the root \(root)")
        }
        if !rowPath.starts(with: unitPath) || !rowPath.allSatisfy(Self.isName) {
            problems.append("\(spec.id): xml.row \"\(row)\" must be the unit \(unit) or a path below it")
        }
        let enclosing = Set(rowPath.dropFirst(max(0, unitPath.count - 1)))
        for field in spec.fields {
            guard let text = field.xml else {
                problems.append("\(spec.id).\(field.name) has no xml path")
                continue
            }
            do {
                for source in try Self.sources(text) {
                    switch source {
                    case .row(let up, _) where up > rowBelowUnit.count:
                        problems.append("\(spec.id).\(field.name): xml path \"\(text)\" climbs above the unit")
                    case .ordinal(let name?) where !enclosing.contains(name):
                        problems.append("\(spec.id).\(field.name): #ordinal(\(name)) names no element on the row path \(row)")
                    default:
                        break
                    }
                }
            } catch {
                problems.append("\(spec.id).\(field.name): \(error)")
            }
        }
        return problems
    }
}
