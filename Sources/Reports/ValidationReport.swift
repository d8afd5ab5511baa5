import RCCCore

/// What the checks found in one current return, for the LA's data team to correct at source: the
/// return's facts from the `loads` ledger, how many entries each rule made, and every entry with its
/// file, row and field.
///
/// The report holds only what the warehouse's `loads`, `quarantine` and `findings` tables hold about
/// the checks (rule ids, DfE codes, severities, messages, file paths, row numbers, field names, counts,
/// the key fingerprint): never a value from a return, and not the children's pseudonyms, which are no
/// use to the LA.
public struct ValidationReport: Sendable, Equatable {
    /// The return's entry in the `loads` ledger.
    public struct Load: Sendable, Equatable {
        public var loadID: Int
        public var key: ReturnKey
        /// The LA's name from the `la` code list, when it lists the code.
        public var laName: String?
        public var rowsRead: Int
        public var rowsLoaded: Int
        public var rowsQuarantined: Int
        public var findings: Int
        /// ISO 8601 UTC.
        public var loadedAt: String
        public var runID: String
        public var keyFingerprint: String
        public var schemaVersion: String

        public init(loadID: Int, key: ReturnKey, laName: String?, rowsRead: Int, rowsLoaded: Int, rowsQuarantined: Int,
                    findings: Int, loadedAt: String, runID: String, keyFingerprint: String, schemaVersion: String) {
            self.loadID = loadID; self.key = key; self.laName = laName; self.rowsRead = rowsRead; self.rowsLoaded = rowsLoaded
            self.rowsQuarantined = rowsQuarantined; self.findings = findings; self.loadedAt = loadedAt; self.runID = runID
            self.keyFingerprint = keyFingerprint; self.schemaVersion = schemaVersion
        }
    }

    /// What happened to the row an entry is about.
    public enum Action: String, Sendable, Equatable, Comparable {
        /// The row was not loaded: it is in the run's quarantine folder, as sent, for the LA to correct.
        case quarantined
        /// The row was loaded, with a finding recorded against it.
        case finding

        /// In words, for people.
        public var words: String {
            switch self {
            case .quarantined: "quarantined (not loaded)"
            case .finding: "loaded, with a finding"
            }
        }

        public static func < (a: Action, b: Action) -> Bool { a == .quarantined && b == .finding }
    }

    /// What an entry's row number counts, which depends on the kind of file it is in.
    public enum RowNumbering: String, Sendable, Equatable {
        /// A delimited file: the row a spreadsheet shows (the header is row 1, each record one row after
        /// it even when a quoted field spans lines, and blank lines count as rows).
        case spreadsheetRow = "spreadsheet row"
        /// An XML document: the line on which the row's element starts.
        case xmlLine = "line in the XML"
        /// The ledger does not say what kind of file the source is.
        case unknown = "row or line"
        /// No row or file: an entry about the whole return (an aggregate rule's, the DfE's LA-level
        /// rules), whose source is empty.
        case wholeReturn = "whole return"
    }

    /// The `source` of an entry about the whole return rather than a row of one of its files.
    public static let wholeReturnSource = SourceLocation.wholeReturn

    /// One check one row failed (or, with no row, one the file failed; or, with no row and no source, one
    /// the whole return failed).
    public struct Entry: Sendable, Equatable {
        public var action: Action
        public var ruleID: String
        public var dfeCode: String?
        public var severity: String
        /// The input table (`ssda903.episodes`).
        public var table: String
        /// The file's path, archive members joined by `!/`.
        public var source: String
        public var row: Int?
        public var numbering: RowNumbering
        public var field: String?
        public var message: String

        public init(action: Action, ruleID: String, dfeCode: String?, severity: String, table: String, source: String,
                    row: Int?, numbering: RowNumbering, field: String?, message: String) {
            self.action = action; self.ruleID = ruleID; self.dfeCode = dfeCode; self.severity = severity; self.table = table
            self.source = source; self.row = row; self.numbering = numbering; self.field = field; self.message = message
        }
    }

    /// The entries one rule made, with the same outcome, DfE code and severity.
    public struct RuleCount: Sendable, Equatable {
        public struct Message: Sendable, Equatable {
            public var text: String
            public var count: Int
        }

        public var action: Action
        public var ruleID: String
        public var dfeCode: String?
        public var severity: String
        /// The rule's messages, most frequent first (most rules have one; a row's shape is told in several).
        public var messages: [Message]
        public var count: Int { messages.reduce(0) { $0 + $1.count } }
    }

    /// Which current returns a run of the report covers: all, or those of one LA, collection or year.
    public struct Filter: Sendable, Equatable {
        public var la: String?
        public var collection: String?
        public var year: Int?

        public init(la: String? = nil, collection: String? = nil, year: Int? = nil) {
            self.la = la; self.collection = collection; self.year = year
        }

        public func matches(_ key: ReturnKey) -> Bool {
            (la == nil || la == key.la) && (collection == nil || collection == key.collection) && (year == nil || year == key.year)
        }

        /// The filter in words (`LA 357, year 2025`), or nil when it takes every return.
        public var words: String? {
            let parts = [la.map { "LA \($0)" }, collection.map { "collection \($0)" }, year.map { "year \($0)" }].compactMap { $0 }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
    }

    public var generatedAt: String
    public var warehouse: String
    public var load: Load
    /// In file order: by source, row number (entries about a whole file first), field and rule.
    public var entries: [Entry]

    public init(generatedAt: String, warehouse: String, load: Load, entries: [Entry]) {
        self.generatedAt = generatedAt; self.warehouse = warehouse; self.load = load
        self.entries = entries.sorted(by: Self.fileOrder)
    }

    /// Entries per rule, the rules that made the most first.
    public var rules: [RuleCount] {
        struct Key: Hashable { var action: Action; var ruleID: String; var dfeCode: String?; var severity: String }
        var order: [Key] = []
        var messages: [Key: [String: Int]] = [:]
        for entry in entries {
            let key = Key(action: entry.action, ruleID: entry.ruleID, dfeCode: entry.dfeCode, severity: entry.severity)
            if messages[key] == nil { order.append(key) }
            messages[key, default: [:]][entry.message, default: 0] += 1
        }
        return order.map { key in
            RuleCount(action: key.action, ruleID: key.ruleID, dfeCode: key.dfeCode, severity: key.severity,
                      messages: messages[key, default: [:]].map { RuleCount.Message(text: $0.key, count: $0.value) }
                          .sorted { ($1.count, $0.text) < ($0.count, $1.text) })
        }.sorted { ($1.count, $0.action, $0.ruleID) < ($0.count, $1.action, $1.ruleID) }
    }

    /// The sources entries are about, in file order, each with what its row numbers count.
    public var sources: [(source: String, numbering: RowNumbering)] {
        var seen: Set<String> = []
        return entries.compactMap { seen.insert($0.source).inserted ? ($0.source, $0.numbering) : nil }
    }

    /// The name the report's files take, without extension: `validation-357-ssda903-2025`. The LA code
    /// and collection are cut to letters, digits, `_` and `-`, so no ledger text can make a path.
    public var fileStem: String {
        func safe(_ text: String) -> String {
            String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
        }
        return "validation-\(safe(load.key.la))-\(safe(load.key.collection))-\(load.key.year)"
    }

    /// A collection year as people write it: 2025 is `2024-25`.
    public static func yearLabel(_ year: Int) -> String {
        let end = year % 100
        return "\(year - 1)-\(end < 10 ? "0" : "")\(end)"
    }

    static func fileOrder(_ a: Entry, _ b: Entry) -> Bool {
        (a.source, a.row ?? 0, a.field ?? "", a.ruleID, a.action, a.message)
            < (b.source, b.row ?? 0, b.field ?? "", b.ruleID, b.action, b.message)
    }
}

/// The validation reports of one run of `rcc report validation`: one per current return the filter
/// selects, in LA, collection and year order.
public struct ValidationReportSet: Sendable, Equatable {
    public var generatedAt: String
    public var warehouse: String
    public var filter: ValidationReport.Filter
    public var reports: [ValidationReport]

    public init(generatedAt: String, warehouse: String, filter: ValidationReport.Filter, reports: [ValidationReport]) {
        self.generatedAt = generatedAt; self.warehouse = warehouse; self.filter = filter; self.reports = reports
    }

    /// The index page's file name.
    public static let indexFile = "validation-index.html"
}
