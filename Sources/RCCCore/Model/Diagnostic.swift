/// A data problem found in a return: located, attributed to a rule, and free of cell values.
///
/// A diagnostic never carries the value it complains about (values are personal data);
/// the message names the field and what was expected instead.
public struct Diagnostic: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable { case error, query }
    /// What happens to the row: it cannot be loaded faithfully, or it is loaded with a finding.
    public enum Action: String, Sendable, Codable { case quarantine, finding }

    public var ruleID: String
    public var dfeCode: String?
    public var severity: Severity
    public var action: Action
    public var table: String
    public var location: SourceLocation
    public var message: String

    public init(ruleID: String, dfeCode: String? = nil, severity: Severity, action: Action,
                table: String, location: SourceLocation, message: String) {
        self.ruleID = ruleID
        self.dfeCode = dfeCode
        self.severity = severity
        self.action = action
        self.table = table
        self.location = location
        self.message = message
    }
}
