import RCCCore

/// One version of one return in the `loads` ledger: what was loaded, from which bytes, under
/// which key and schema, and what it replaced.
public struct LedgerEntry: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case current, replaced }

    public var loadID: Int?
    public var key: ReturnKey
    public var status: Status
    /// SHA-256 over the sorted sources' own SHA-256 digests: equal bytes give an equal digest.
    public var sourceSHA256: String
    /// The sources as JSON: path, SHA-256, table, counts.
    public var sourcesJSON: String
    public var rowsRead: Int
    public var rowsLoaded: Int
    public var rowsQuarantined: Int
    public var findings: Int
    public var keyFingerprint: String
    public var schemaVersion: String
    public var runID: String
    /// ISO 8601 UTC.
    public var loadedAt: String
    public var replaces: Int?
    public var replacedBy: Int?

    public init(key: ReturnKey, sourceSHA256: String, sourcesJSON: String, rowsRead: Int, rowsLoaded: Int,
                rowsQuarantined: Int, findings: Int, keyFingerprint: String, schemaVersion: String,
                runID: String, loadedAt: String) {
        self.key = key
        self.status = .current
        self.sourceSHA256 = sourceSHA256
        self.sourcesJSON = sourcesJSON
        self.rowsRead = rowsRead
        self.rowsLoaded = rowsLoaded
        self.rowsQuarantined = rowsQuarantined
        self.findings = findings
        self.keyFingerprint = keyFingerprint
        self.schemaVersion = schemaVersion
        self.runID = runID
        self.loadedAt = loadedAt
    }
}
