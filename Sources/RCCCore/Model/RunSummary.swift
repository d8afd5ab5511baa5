/// What a run did, source by source and return by return: printed for people and written as JSON
/// for machines. Holds paths, counts and reasons; never a cell value.
public struct RunSummary: Sendable, Codable {
    /// Rows of one table within a source (an XML source holds several tables).
    public struct TableCount: Sendable, Codable, Equatable {
        public var table: String
        public var rowsRead: Int
        public var rowsLoaded: Int
        public var rowsQuarantined: Int

        public init(table: String, rowsRead: Int = 0, rowsLoaded: Int = 0, rowsQuarantined: Int = 0) {
            self.table = table
            self.rowsRead = rowsRead
            self.rowsLoaded = rowsLoaded
            self.rowsQuarantined = rowsQuarantined
        }
    }

    public struct Source: Sendable, Codable {
        /// The source's path, archive members joined by `!/` (`in/a.zip!/903/header.csv`).
        public var path: String
        public var format: String?
        public var encoding: String?
        public var table: String?
        public var la: String?
        public var collection: String?
        public var year: Int?
        public var rowsRead: Int
        public var rowsLoaded: Int
        public var rowsQuarantined: Int
        public var findings: Int
        public var extraColumns: [String]
        /// Why the source was refused, when it was.
        public var rejected: String?
        /// The quarantine reasons met, with counts (rule id and message).
        public var quarantineReasons: [Reason]
        /// Counts per table, for sources that hold more than one (XML).
        public var tables: [TableCount]
        /// Things worth knowing that are not errors: how dates were read, where the return's identity came from.
        public var notes: [String]

        public init(path: String) {
            self.path = path
            rowsRead = 0; rowsLoaded = 0; rowsQuarantined = 0; findings = 0
            extraColumns = []
            quarantineReasons = []
            tables = []
            notes = []
        }
    }

    public struct Reason: Sendable, Codable, Hashable {
        public var rule: String
        public var dfe: String?
        public var field: String?
        public var message: String
        public var count: Int

        public init(rule: String, dfe: String?, field: String?, message: String, count: Int) {
            self.rule = rule
            self.dfe = dfe
            self.field = field
            self.message = message
            self.count = count
        }
    }

    public struct Return: Sendable, Codable {
        public enum Status: String, Sendable, Codable {
            /// Loaded as a new return or a new version of one.
            case loaded
            /// The same bytes as the version already loaded: nothing changed.
            case unchanged
            /// Not loaded (a source was refused or the load failed); any earlier version stays.
            case rejected
        }
        public var la: String
        public var collection: String
        public var year: Int
        public var status: Status
        public var reason: String?
        public var loadID: Int?
        public var replacedLoadID: Int?
        public var sourceSHA256: String?
        public var rowsRead: Int
        public var rowsLoaded: Int
        public var rowsQuarantined: Int
        public var findings: Int
        /// The private folder holding this return's quarantined rows as sent, when any were.
        public var quarantineFolder: String?
        /// DfE rules of the return's collection and year not run because they need data from outside the
        /// return, counted by what they need and why they did not run
        /// (`previous-year: not supplied (give --reference DIR)`, `ofsted: rcc does not read ofsted data yet`).
        public var rulesNotRun: [String: Int]?

        public init(la: String, collection: String, year: Int, status: Status, sourceSHA256: String? = nil,
                    rowsRead: Int = 0, rowsLoaded: Int = 0, rowsQuarantined: Int = 0, findings: Int = 0) {
            self.la = la
            self.collection = collection
            self.year = year
            self.status = status
            self.sourceSHA256 = sourceSHA256
            self.rowsRead = rowsRead
            self.rowsLoaded = rowsLoaded
            self.rowsQuarantined = rowsQuarantined
            self.findings = findings
        }
    }

    public var runID: String
    public var startedAt: String
    public var finishedAt: String?
    public var warehouse: String
    public var keyFingerprint: String
    public var schemaVersion: String
    /// The use-case profile the run loaded under (`schemas/regional/profiles/`).
    public var profile: String
    public var returns: [Return]
    public var sources: [Source]

    public init(runID: String, startedAt: String, warehouse: String, keyFingerprint: String, schemaVersion: String,
                profile: String = "full") {
        self.runID = runID
        self.profile = profile
        self.startedAt = startedAt
        self.warehouse = warehouse
        self.keyFingerprint = keyFingerprint
        self.schemaVersion = schemaVersion
        returns = []
        sources = []
    }

    public var anyQuarantined: Bool { sources.contains { $0.rowsQuarantined > 0 } }
    public var anyRejected: Bool {
        sources.contains { $0.rejected != nil } || returns.contains { $0.status == .rejected }
    }
}
