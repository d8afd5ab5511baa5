import Foundation
import Load
import RCCCore
import Transform
import Validate

/// The pseudonymisation audit a data protection officer signs off: which key(s) and schema the
/// current loads used, how every regional column is treated, how many rows each LA contributes,
/// the re-identification risk of each table's quasi-identifiers (k-anonymity), and a scan of every
/// text value for identifiers (a UPN, a full postcode, a full date of birth, and, given the key, an LA
/// child id of the children loaded), which must find none. Treatments are those of the profile the
/// warehouse was made with; what it leaves out, and the input fields no table loads, are listed too.
///
/// The report holds only counts, table and column names, treatments and key fingerprints: never a
/// value read from the warehouse.
public struct DPOReport: Codable, Sendable, Equatable {
    public struct Fingerprint: Codable, Sendable, Equatable {
        public var fingerprint: String
        /// Current loads made under this key.
        public var loads: Int
        public init(fingerprint: String, loads: Int) { self.fingerprint = fingerprint; self.loads = loads }
    }

    public struct SchemaVersionUse: Codable, Sendable, Equatable {
        public var version: String
        public var loads: Int
        public init(version: String, loads: Int) { self.version = version; self.loads = loads }
    }

    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        /// The treatment's schema name (`kept`, `pseudonymised`, `first-of-month`, …).
        public var treatment: String
        /// The treatment in words, with its namespace or code list.
        public var treatmentDetail: String
        public var namespace: String?
        public var codelist: String?
        public var description: String
        /// Whether the column is one of the quasi-identifiers the risk section groups by.
        public var quasiIdentifier: Bool
        public init(name: String, type: String, treatment: String, treatmentDetail: String, namespace: String?,
                    codelist: String?, description: String, quasiIdentifier: Bool) {
            self.name = name; self.type = type; self.treatment = treatment; self.treatmentDetail = treatmentDetail
            self.namespace = namespace; self.codelist = codelist; self.description = description
            self.quasiIdentifier = quasiIdentifier
        }
    }

    public struct Table: Codable, Sendable, Equatable {
        public var name: String
        public var description: String
        /// False when the profile leaves the whole table out (it is not in the warehouse).
        public var inProfile: Bool
        public var columns: [Column]
        public init(name: String, description: String, inProfile: Bool = true, columns: [Column]) {
            self.name = name; self.description = description; self.inProfile = inProfile; self.columns = columns
        }
    }

    /// The use-case profile the warehouse was made with.
    public struct ProfileInfo: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var description: String
        public var source: String?
        /// Analyst views not created because they read what the profile leaves out.
        public var viewsLeftOut: [String]
        public init(id: String, title: String, description: String, source: String?, viewsLeftOut: [String]) {
            self.id = id; self.title = title; self.description = description; self.source = source; self.viewsLeftOut = viewsLeftOut
        }
    }

    /// An input field no regional column is made from (under this profile): read and checked, never loaded.
    public struct DroppedField: Codable, Sendable, Equatable {
        public var input: String
        public var field: String
        public var title: String
        public init(input: String, field: String, title: String) { self.input = input; self.field = field; self.title = title }
    }

    public struct RowCount: Codable, Sendable, Equatable {
        public var table: String
        public var la: String
        public var rows: Int
        public init(table: String, la: String, rows: Int) { self.table = table; self.la = la; self.rows = rows }
    }

    /// Rows one LA loaded for one collection year, over its current loads of every collection: the
    /// `rows_loaded` of the `loads` ledger (input rows, where `RowCount` counts regional rows).
    public struct LoadedRows: Codable, Sendable, Equatable {
        public var la: String
        public var collectionYear: Int
        public var rows: Int
        public init(la: String, collectionYear: Int, rows: Int) { self.la = la; self.collectionYear = collectionYear; self.rows = rows }
    }

    /// k-anonymity of one table over the quasi-identifiers it has (current loads only).
    public struct Risk: Codable, Sendable, Equatable {
        public var table: String
        public var quasiIdentifiers: [String]
        public var records: Int
        /// Distinct combinations of the quasi-identifiers' values (a blank is a value of its own).
        public var groups: Int
        /// Groups with fewer than k records, and the records in them.
        public var groupsSmallerThanK: Int
        public var recordsInGroupsSmallerThanK: Int
        /// Nil when the table has no rows.
        public var smallestGroup: Int?
        public init(table: String, quasiIdentifiers: [String], records: Int, groups: Int, groupsSmallerThanK: Int,
                    recordsInGroupsSmallerThanK: Int, smallestGroup: Int?) {
            self.table = table; self.quasiIdentifiers = quasiIdentifiers; self.records = records; self.groups = groups
            self.groupsSmallerThanK = groupsSmallerThanK; self.recordsInGroupsSmallerThanK = recordsInGroupsSmallerThanK
            self.smallestGroup = smallestGroup
        }
    }

    /// Identifier shapes found in one column: counts of values, never the values.
    public struct ScanHit: Codable, Sendable, Equatable {
        public var table: String
        public var column: String
        public var upn: Int
        public var postcode: Int
        public var dateOfBirth: Int
        /// Values equal to the LA child id of a child loaded for the row's LA.
        public var childID: Int
        public var total: Int { upn + postcode + dateOfBirth + childID }
        public init(table: String, column: String, upn: Int, postcode: Int, dateOfBirth: Int, childID: Int = 0) {
            self.table = table; self.column = column; self.upn = upn; self.postcode = postcode; self.dateOfBirth = dateOfBirth
            self.childID = childID
        }
    }

    public struct Scan: Codable, Sendable, Equatable {
        /// Tables and text columns scanned, and the non-blank values in them.
        public var tables: Int
        public var columns: Int
        public var values: Int
        /// Every column with at least one identifier shape; empty when the warehouse is clean.
        public var hits: [ScanHit]
        /// Whether values were checked against the LA child ids of the children loaded (it takes the
        /// key those children were pseudonymised with), and if not, why.
        public var childIDsChecked: Bool
        public var childIDCheck: String
        /// Child pseudonyms (per LA) the check compared against.
        public var childPseudonyms: Int
        public var upn: Int { hits.reduce(0) { $0 + $1.upn } }
        public var postcode: Int { hits.reduce(0) { $0 + $1.postcode } }
        public var dateOfBirth: Int { hits.reduce(0) { $0 + $1.dateOfBirth } }
        public var childID: Int { hits.reduce(0) { $0 + $1.childID } }
        public var clean: Bool { hits.isEmpty }
        public init(tables: Int, columns: Int, values: Int, hits: [ScanHit], childIDsChecked: Bool = false,
                    childIDCheck: String = "not run", childPseudonyms: Int = 0) {
            self.tables = tables; self.columns = columns; self.values = values; self.hits = hits
            self.childIDsChecked = childIDsChecked; self.childIDCheck = childIDCheck; self.childPseudonyms = childPseudonyms
        }

        enum CodingKeys: String, CodingKey {
            case tables, columns, values, hits, clean, upn, postcode, dateOfBirth, childID, childIDsChecked, childIDCheck, childPseudonyms
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(tables: try container.decode(Int.self, forKey: .tables), columns: try container.decode(Int.self, forKey: .columns),
                      values: try container.decode(Int.self, forKey: .values), hits: try container.decode([ScanHit].self, forKey: .hits),
                      childIDsChecked: try container.decode(Bool.self, forKey: .childIDsChecked),
                      childIDCheck: try container.decode(String.self, forKey: .childIDCheck),
                      childPseudonyms: try container.decode(Int.self, forKey: .childPseudonyms))
        }

        /// The totals and the verdict are written too, for whoever reads the JSON.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tables, forKey: .tables)
            try container.encode(columns, forKey: .columns)
            try container.encode(values, forKey: .values)
            try container.encode(hits, forKey: .hits)
            try container.encode(clean, forKey: .clean)
            try container.encode(upn, forKey: .upn)
            try container.encode(postcode, forKey: .postcode)
            try container.encode(dateOfBirth, forKey: .dateOfBirth)
            try container.encode(childID, forKey: .childID)
            try container.encode(childIDsChecked, forKey: .childIDsChecked)
            try container.encode(childIDCheck, forKey: .childIDCheck)
            try container.encode(childPseudonyms, forKey: .childPseudonyms)
        }
    }

    public var generatedAt: String
    public var warehouse: String
    /// The schema this report read the treatments from (the one that ran it).
    public var schemaVersion: String
    /// The schema versions the current loads were made under.
    public var loadSchemaVersions: [SchemaVersionUse]
    public var currentLoads: Int
    public var keyFingerprints: [Fingerprint]
    public var profile: ProfileInfo
    public var tables: [Table]
    public var droppedFields: [DroppedField]
    public var rowCounts: [RowCount]
    /// By LA, then collection year.
    public var loadedRows: [LoadedRows]
    public var k: Int
    public var risks: [Risk]
    public var scan: Scan

    /// LA names by code (from the `la` code list), for people reading the row counts.
    public var laNames: [String: String]

    public init(generatedAt: String, warehouse: String, schemaVersion: String, loadSchemaVersions: [SchemaVersionUse],
                currentLoads: Int, keyFingerprints: [Fingerprint], profile: ProfileInfo, tables: [Table],
                droppedFields: [DroppedField], rowCounts: [RowCount], k: Int,
                risks: [Risk], scan: Scan, laNames: [String: String], loadedRows: [LoadedRows] = []) {
        self.generatedAt = generatedAt; self.warehouse = warehouse; self.schemaVersion = schemaVersion
        self.loadSchemaVersions = loadSchemaVersions; self.currentLoads = currentLoads; self.keyFingerprints = keyFingerprints
        self.profile = profile; self.tables = tables; self.droppedFields = droppedFields
        self.rowCounts = rowCounts; self.k = k; self.risks = risks; self.scan = scan; self.laNames = laNames
        self.loadedRows = loadedRows
    }
}

extension DPOReport {
    /// The quasi-identifiers, in the order groups are formed, when a table has them.
    public static let quasiIdentifiers = ["la", "dob_month", "sex", "ethnic", "home_post_sector"]

    /// The text columns of the ledger's location tables, scanned as the regional ones are.
    public static let quarantineTextColumns = ["table_name", "source", "field", "rule_id", "dfe_code", "severity", "reason", "child"]
    public static let findingsTextColumns = ["table_name", "source", "field", "rule_id", "dfe_code", "severity", "message", "child"]

    /// Computes the report from a prepared warehouse, reading treatments from `catalog` (cut to the
    /// warehouse's profile). With `pseudonymiser` (the key the loads used), the scan also looks for
    /// the LA child ids of the children loaded: a value whose pseudonym, for the LA of its row, is a
    /// child pseudonym of that LA is a raw child id. No raw id is needed, or kept, to do so.
    public static func compute(warehouse: any Warehouse, catalog: SchemaCatalog, k: Int = 5,
                               pseudonymiser: Pseudonymiser? = nil, keyFingerprint: String? = nil,
                               now: Date = Date()) async throws -> DPOReport {
        precondition(k >= 1, "k is at least 1")
        let current = try await warehouse.ledger().filter { $0.status == .current }

        var fingerprints: [String: Int] = [:]
        var versions: [String: Int] = [:]
        var loaded: [String: [Int: Int]] = [:]
        for entry in current {
            fingerprints[entry.keyFingerprint, default: 0] += 1
            versions[entry.schemaVersion, default: 0] += 1
            loaded[entry.key.la, default: [:]][entry.key.year, default: 0] += entry.rowsLoaded
        }
        let loadedRows = loaded.sorted { $0.key < $1.key }.flatMap { la, years in
            years.sorted { $0.key < $1.key }.map { LoadedRows(la: la, collectionYear: $0.key, rows: $0.value) }
        }

        let profile = catalog.profile
        let tables = catalog.allRegionalTables.map { table in
            Table(name: table.table, description: table.description, inProfile: profile.keeps(table: table.table),
                  columns: table.columns.map { column in
                let kept = profile.keeps(table: table.table, column: column.name)
                return Column(name: column.name, type: column.type.rawValue, treatment: kept ? column.treatment.rawValue : "left-out",
                              treatmentDetail: kept ? describe(column) : "left out by the \(profile.id) profile (never created; was \(describe(column)))",
                              namespace: column.namespace?.rawValue, codelist: column.codelist,
                              description: column.description, quasiIdentifier: kept && quasiIdentifiers.contains(column.name))
            })
        }
        // Input fields no regional column under this profile is made from.
        var read: [String: Set<String>] = [:]
        for mapping in catalog.mappings {
            for column in mapping.columns {
                for source in column.from {
                    let parts = source.split(separator: ".")
                    if parts.count == 1 { read[mapping.source, default: []].insert(source) } else {
                        read[parts.dropLast().joined(separator: "."), default: []].insert(String(parts.last!))
                    }
                }
            }
        }
        let dropped = catalog.inputs.sorted { $0.id < $1.id }.flatMap { spec in
            spec.fields.filter { !(read[spec.id]?.contains($0.name) ?? false) }
                .map { DroppedField(input: spec.id, field: $0.name, title: $0.title ?? $0.name) }
        }

        let currentRows = { (table: String) in
            "FROM \(table) t JOIN loads l ON l.load_id = t.load_id WHERE l.status = 'current'"
        }

        var rowCounts: [RowCount] = []
        var risks: [Risk] = []
        for table in catalog.regionalTables {
            for row in try await warehouse.query("SELECT l.la, COUNT(*) \(currentRows(table.table)) GROUP BY l.la ORDER BY l.la") {
                rowCounts.append(RowCount(table: table.table, la: text(row[0]) ?? "", rows: int(row[1]) ?? 0))
            }
            let names = Set(table.columns.map(\.name))
            let qis = quasiIdentifiers.filter(names.contains)
            guard !qis.isEmpty else { continue }
            // Group sizes as a histogram (size, groups of that size): no value leaves the warehouse.
            let sizes = try await warehouse.query("""
                SELECT g.n, COUNT(*) FROM (SELECT COUNT(*) AS n \(currentRows(table.table)) GROUP BY \(qis.map { "t.\($0)" }.joined(separator: ", "))) g \
                GROUP BY g.n ORDER BY g.n
                """).map { (size: int($0[0]) ?? 0, groups: int($0[1]) ?? 0) }
            let small = sizes.filter { $0.size < k }
            risks.append(Risk(table: table.table, quasiIdentifiers: qis,
                              records: sizes.reduce(0) { $0 + $1.size * $1.groups },
                              groups: sizes.reduce(0) { $0 + $1.groups },
                              groupsSmallerThanK: small.reduce(0) { $0 + $1.groups },
                              recordsInGroupsSmallerThanK: small.reduce(0) { $0 + $1.size * $1.groups },
                              smallestGroup: sizes.first?.size))
        }

        // The scan reads every row, current or not: a planted value anywhere must be found.
        var targets: [(table: String, columns: [String])] = catalog.regionalTables.map { table in
            (table.table, table.columns.filter { $0.type != .integer }.map(\.name))
        }
        targets.append(("quarantine", quarantineTextColumns))
        targets.append(("findings", findingsTextColumns))
        var scan = Scan(tables: 0, columns: 0, values: 0, hits: [])
        // The child pseudonyms of each LA: of the children loaded, and of quarantined rows.
        var children: [String: Set<String>] = [:]
        if pseudonymiser != nil {
            let loadKeys = Set(try await warehouse.ledger().map(\.keyFingerprint))
            if let keyFingerprint, !loadKeys.isEmpty, !loadKeys.contains(keyFingerprint) {
                scan.childIDCheck = "not run: the key given (\(keyFingerprint)) is not the key of any load"
            } else {
                var sources: [String] = []
                for table in catalog.regionalTables {
                    for column in table.columns where column.treatment == .pseudonymised && column.namespace == .laChild {
                        sources.append("SELECT DISTINCT la, \(column.name) FROM \(table.table) WHERE \(column.name) IS NOT NULL")
                    }
                }
                for location in ["quarantine", "findings"] {
                    sources.append("SELECT DISTINCT l.la, t.child FROM \(location) t JOIN loads l ON l.load_id = t.load_id WHERE t.child IS NOT NULL")
                }
                for sql in sources {
                    for row in try await warehouse.query(sql) {
                        if let la = text(row[0]), let child = text(row[1]) { children[la, default: []].insert(child) }
                    }
                }
                scan.childIDsChecked = true
                scan.childPseudonyms = children.values.reduce(0) { $0 + $1.count }
                scan.childIDCheck = "run against \(scan.childPseudonyms) child pseudonyms of \(children.count) LA(s)"
            }
        } else {
            scan.childIDCheck = "not run: no key given (give --key-file, or set RCC_KEY, with the key the loads used)"
        }
        for target in targets {
            scan.tables += 1
            let ledgerTable = target.table == "quarantine" || target.table == "findings"
            for column in target.columns {
                scan.columns += 1
                var hit = ScanHit(table: target.table, column: column, upn: 0, postcode: 0, dateOfBirth: 0)
                let rows = try await warehouse.query(ledgerTable ? """
                    SELECT s.la, s.v, COUNT(*) FROM (SELECT l.la AS la, CAST(t.\(column) AS TEXT) AS v FROM \(target.table) t \
                    JOIN loads l ON l.load_id = t.load_id) s WHERE s.v IS NOT NULL GROUP BY s.la, s.v
                    """ : """
                    SELECT s.la, s.v, COUNT(*) FROM (SELECT la, CAST(\(column) AS TEXT) AS v FROM \(target.table)) s \
                    WHERE s.v IS NOT NULL GROUP BY s.la, s.v
                    """)
                for row in rows {
                    let count = int(row[2]) ?? 0
                    scan.values += count
                    guard let value = text(row[1]) else { continue }
                    let shapes = IdentifierShapes.find(in: value)
                    if shapes.upn { hit.upn += count }
                    if shapes.postcode { hit.postcode += count }
                    if shapes.dateOfBirth { hit.dateOfBirth += count }
                    if let pseudonymiser, let la = text(row[0]), let known = children[la],
                       IdentifierShapes.candidateIDs(in: value).contains(where: {
                           known.contains(pseudonymiser.pseudonym($0, namespace: .laChild, la: la))
                       }) {
                        hit.childID += count
                    }
                }
                if hit.total > 0 { scan.hits.append(hit) }
            }
        }

        let formatter = ISO8601DateFormatter()
        return DPOReport(
            generatedAt: formatter.string(from: now), warehouse: warehouse.displayName, schemaVersion: catalog.version,
            loadSchemaVersions: versions.map { SchemaVersionUse(version: $0.key, loads: $0.value) }.sorted { $0.version < $1.version },
            currentLoads: current.count,
            keyFingerprints: fingerprints.map { Fingerprint(fingerprint: $0.key, loads: $0.value) }.sorted { $0.fingerprint < $1.fingerprint },
            profile: ProfileInfo(id: profile.id, title: profile.title, description: profile.description, source: profile.source,
                                 viewsLeftOut: catalog.viewsLeftOut),
            tables: tables, droppedFields: dropped, rowCounts: rowCounts, k: k, risks: risks, scan: scan,
            laNames: Dictionary(uniqueKeysWithValues: (catalog.codeLists["la"]?.codes ?? []).map { ($0.code, $0.label) }),
            loadedRows: loadedRows)
    }

    /// A column's treatment in words: `pseudonymised in namespace upn (codes of cin.UPNunknown load blank)`.
    static func describe(_ column: RegionalColumn) -> String {
        switch column.treatment {
        case .kept: return "kept"
        case .pseudonymised:
            var text = "pseudonymised in namespace \(column.namespace?.rawValue ?? "(none)")"
            if let list = column.codelist { text += " (codes of \(list) load blank)" }
            return text
        case .firstOfMonth: return "first-of-month"
        case .postcodeSector: return "postcode-sector"
        case .ageYears: return "age-years"
        case .codeIfListed: return "code-if-listed" + (column.codelist.map { " (\($0))" } ?? "")
        case .returnLA: return "return-la"
        case .returnYear: return "return-year"
        case .returnCollection: return "return-collection"
        }
    }

    static func text(_ value: SQLValue) -> String? {
        switch value {
        case .text(let s): s
        case .integer(let n): String(n)
        case .null: nil
        }
    }

    static func int(_ value: SQLValue) -> Int? {
        switch value {
        case .integer(let n): n
        case .text(let s): Int(s)
        case .null: nil
        }
    }

    /// Whether the scan found no identifier shape.
    public var clean: Bool { scan.clean }
    public var totalRows: Int { rowCounts.reduce(0) { $0 + $1.rows } }
}

/// The identifier shapes the DPO scan looks for in a text value.
public enum IdentifierShapes {
    public struct Found: Equatable, Sendable {
        public var upn = false
        public var postcode = false
        public var dateOfBirth = false
        public init(upn: Bool = false, postcode: Bool = false, dateOfBirth: Bool = false) {
            self.upn = upn; self.postcode = postcode; self.dateOfBirth = dateOfBirth
        }
    }

    public static func find(in value: String) -> Found {
        var found = Found()
        // Tokens: runs of ASCII letters and digits.
        var tokens: [String] = []
        var current: [UInt8] = []
        for byte in value.utf8 {
            if (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) {
                current.append(byte)
            } else if !current.isEmpty {
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }

        for (i, token) in tokens.enumerated() {
            if token.utf8.count == 13 && UPN.isValid(token.uppercased()) { found.upn = true }
            if Postcode.normalise(token) != nil { found.postcode = true }
            // A postcode written with its space: the outward and inward codes are neighbouring tokens.
            if i + 1 < tokens.count, tokens[i + 1].utf8.count == 3, Postcode.normalise(token + tokens[i + 1]) != nil {
                found.postcode = true
            }
        }
        found.dateOfBirth = containsDate(value)
        return found
    }

    /// The parts of a value that could be an LA child id written into it: the whole value, each
    /// word (split at white space) and each run of ASCII letters and digits, at most 64 bytes each.
    public static func candidateIDs(in value: String) -> Set<String> {
        var found: Set<String> = []
        func add<S: StringProtocol>(_ part: S) { if !part.isEmpty && part.utf8.count <= 64 && found.count < 256 { found.insert(String(part)) } }
        add(value)
        for word in value.split(whereSeparator: \.isWhitespace) {
            add(word)
            for run in word.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) { add(run) }
        }
        return found
    }

    /// A `dd/mm/yyyy` (or `d/m/yyyy`) date with a plausible day and month, not inside a longer number.
    static func containsDate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && (48...57).contains(bytes[i]) }
        func number(_ from: Int, _ to: Int) -> Int { (from..<to).reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        var i = 0
        while i < bytes.count {
            guard isDigit(i), !isDigit(i - 1) else { i += 1; continue }
            var j = i
            while isDigit(j) { j += 1 }
            let day = (i, j)
            guard (1...2).contains(j - i), j < bytes.count, bytes[j] == 47 else { i = j; continue }
            var m = j + 1
            let monthStart = m
            while isDigit(m) { m += 1 }
            guard (1...2).contains(m - monthStart), m < bytes.count, bytes[m] == 47 else { i = j; continue }
            var y = m + 1
            let yearStart = y
            while isDigit(y) { y += 1 }
            if y - yearStart == 4,
               (1...31).contains(number(day.0, day.1)), (1...12).contains(number(monthStart, m)) {
                return true
            }
            i = j
        }
        return false
    }
}
