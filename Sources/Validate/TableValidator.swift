import RCCCore

/// A row that cannot be loaded faithfully, as read, with every reason found.
public struct QuarantinedRecord: Sendable {
    public var record: Record
    public var diagnostics: [Diagnostic]
    public init(record: Record, diagnostics: [Diagnostic]) { self.record = record; self.diagnostics = diagnostics }
}

/// A problem with a row that was loaded nonetheless; `index` points into `ValidationResult.valid`, or is
/// `wholeReturn` for a finding about the whole return (an aggregate rule's: no row, no child).
public struct Finding: Sendable {
    public static let wholeReturn = -1
    public var index: Int
    public var diagnostic: Diagnostic
    public init(index: Int, diagnostic: Diagnostic) { self.index = index; self.diagnostic = diagnostic }
}

/// What validation made of a batch: rows to load (canonicalised), rows to quarantine, findings.
public struct ValidationResult: Sendable {
    public var valid: [Record] = []
    public var quarantined: [QuarantinedRecord] = []
    public var findings: [Finding] = []
    /// Per field, values repaired from Excel's number form (`123.0`).
    public var excelRepairs: [String: Int] = [:]
    /// Per date field, how many values were written in each format.
    public var dateFormats: [String: [String: Int]] = [:]
    /// Per date field, values read day first that would read as another date month first (`03/04/2024`).
    public var ambiguousDates: [String: Int] = [:]
    /// Per date field, values that read only month first (`04/25/2024`), quarantined as invalid dates.
    public var monthFirstDates: [String: Int] = [:]

    public init() {}
}

/// Validates the rows of one input table for one collection year: field checks from the spec,
/// then the rules in force that year. Compiled once per table and return; runs on batches.
public struct TableValidator {
    public let spec: InputSpec
    public let year: Int
    private let fields: [FieldCheck]
    private let rowRules: [RowRule]
    private let uniqueRules: [RowRule]
    private let keyIndexes: [Int]
    /// The same checks and rules, unretained, for the loops over every field and rule of every row. The
    /// arrays above keep them alive as long as the validator; taken from an array, a class is retained and
    /// released around each use (for a CSV ingest, 5% of the samples went on that).
    private let fieldRefs: [Unmanaged<FieldCheck>]
    private let rowRuleRefs: [Unmanaged<RowRule>]
    private let uniqueRuleRefs: [Unmanaged<RowRule>]

    public static let rowShapeRule = "extract.row-shape"

    /// - Parameter available: the reference data supplied (`previous-year`…): rules needing other data do not run.
    public init(spec: InputSpec, catalog: SchemaCatalog, year: Int, available: Set<String> = []) throws {
        self.spec = spec
        self.year = year
        fields = spec.fields.map { FieldCheck(field: $0, table: spec.id, catalog: catalog, year: year) }
        let rules = try catalog.rules(for: spec.id).filter { $0.isInForce(in: year) && $0.kind != .sequence && $0.kind != .aggregate && $0.canRun(with: available) }
            .map { try RowRule($0, input: spec, catalog: catalog, year: year) }
        rowRules = rules.filter { $0.spec.kind != .unique }
        uniqueRules = rules.filter { $0.spec.kind == .unique }
        keyIndexes = (spec.primaryKey ?? []).compactMap { spec.index(of: $0) }
        fieldRefs = fields.map(Unmanaged.passUnretained)
        rowRuleRefs = rowRules.map(Unmanaged.passUnretained)
        uniqueRuleRefs = uniqueRules.map(Unmanaged.passUnretained)
    }

    /// - Parameter aggregates: the return's rules over the whole return, whose counts every row read
    ///   updates (quarantined or not), with its values as the field checks leave them.
    public func validate(_ records: [Record], source: String, context: ReturnContext,
                         aggregates: AggregateRules? = nil) -> ValidationResult {
        let counters = aggregates?.counters(of: spec.id)
        var result = ValidationResult()
        result.valid.reserveCapacity(records.count)
        // Dates read, by field and format, and ambiguous ones by field: counted in arrays, put into the
        // result's tallies by name once the batch is done.
        var formatCounts = fields.map { Array(repeating: 0, count: $0.formats.count) }
        var ambiguousCounts = Array(repeating: 0, count: fields.count)
        // What the rules read of a row's cells, kept for the next row's.
        let typed = TypedCells(count: fields.count)
        // Whether loaded rows' keys are kept (`register`), the same for every row.
        let keepsKeys = !keyIndexes.isEmpty && context.keepsKeys(of: spec.id)
        for record in records {
            let location = SourceLocation(source: source, row: record.row)
            if let problem = record.problem {
                result.quarantined.append(QuarantinedRecord(record: record, diagnostics: [Diagnostic(
                    ruleID: TableValidator.rowShapeRule, severity: .error, action: .quarantine, table: spec.id,
                    location: location, message: "The row cannot be read as written: \(problem).")]))
                continue
            }
            // The canonical cells, made anew rather than changed in a copy of the row's (which would
            // count a reference to every cell only to drop most of them).
            var cells: [String?] = []
            cells.reserveCapacity(record.cells.count)
            var diagnostics: [Diagnostic] = []
            for (i, ref) in fieldRefs.enumerated() {
                switch ref._withUnsafeGuaranteedRef({ $0.check(record.cells[i]) }) {
                case .valid(let value):
                    cells.append(value)
                case .repaired(let value):
                    cells.append(value)
                    result.excelRepairs[fields[i].field.name, default: 0] += 1
                case .date(let value, let format, let ambiguous):
                    cells.append(value)
                    formatCounts[i][format] += 1
                    if ambiguous { ambiguousCounts[i] += 1 }
                case .invalid(let name, let dfe, let message):
                    let check = fields[i]
                    if name == "date", let value = record.cells[i],
                       FieldCheck.readsOnlyMonthFirst(value, formats: check.formats) {
                        result.monthFirstDates[check.field.name, default: 0] += 1
                    }
                    let action: Diagnostic.Action = name == "required" ? .quarantine : (check.field.onInvalid ?? .quarantine)
                    cells.append(nil)
                    diagnostics.append(Diagnostic(
                        ruleID: check.ruleID(name), dfeCode: dfe.map { "dfe.\(spec.collection).\($0)" },
                        severity: .error, action: action, table: spec.id,
                        location: location.with(field: check.field.name), message: message))
                }
            }
            if record.cells.count > fields.count { cells += record.cells[fields.count...] }
            let canonical = Record(row: record.row, cells: cells, problem: record.problem)
            var quarantine = diagnostics.contains { $0.action == .quarantine }
            let row = RowValues(canonical, reusing: typed)
            if let counters { for counter in counters { counter.add(row, context) } }
            // The row rules, then (unless the row is quarantined by now) `unique`'s, which remember its key.
            if !quarantine {
                for ref in rowRuleRefs where !ref._withUnsafeGuaranteedRef({ $0.passes(row, context: context) }) {
                    let rule = ref.takeUnretainedValue()
                    diagnostics.append(diagnostic(rule, location))
                    if rule.spec.action == .quarantine { quarantine = true }
                }
            }
            if !quarantine {
                for ref in uniqueRuleRefs where !ref._withUnsafeGuaranteedRef({ $0.passes(row, context: context) }) {
                    let rule = ref.takeUnretainedValue()
                    diagnostics.append(diagnostic(rule, location))
                    if rule.spec.action == .quarantine { quarantine = true }
                }
            }
            if quarantine {
                result.quarantined.append(QuarantinedRecord(record: record, diagnostics: diagnostics))
                continue
            }
            if keepsKeys {
                context.registerLoaded(table: spec.id, key: KeyHash(keyIndexes.lazy.map { canonical.cells[$0] }), record: canonical, spec: spec)
            }
            for d in diagnostics { result.findings.append(Finding(index: result.valid.count, diagnostic: d)) }
            result.valid.append(canonical)
        }
        for (i, counts) in formatCounts.enumerated() {
            for (format, count) in counts.enumerated() where count > 0 {
                result.dateFormats[fields[i].field.name, default: [:]][fields[i].formats[format], default: 0] += count
            }
            if ambiguousCounts[i] > 0 { result.ambiguousDates[fields[i].field.name, default: 0] += ambiguousCounts[i] }
        }
        return result
    }

    /// Keeps a loaded row's key, and the fields other tables look up, in the return's context.
    func register(_ record: Record, context: ReturnContext) {
        guard !keyIndexes.isEmpty && context.keepsKeys(of: spec.id) else { return }
        context.registerLoaded(table: spec.id, key: KeyHash(keyIndexes.lazy.map { record.cells[$0] }), record: record, spec: spec)
    }

    /// Registers rows validated earlier (by a validate stage run apart), as `validate` does for its own.
    public func register(_ records: [Record], context: ReturnContext) {
        for record in records { register(record, context: context) }
    }

    private func diagnostic(_ rule: RowRule, _ location: SourceLocation) -> Diagnostic {
        Diagnostic(ruleID: rule.spec.id, dfeCode: rule.spec.dfe.map { "dfe.\(spec.collection).\($0)" },
                   severity: rule.spec.severity, action: rule.spec.action, table: spec.id,
                   location: location.with(field: rule.spec.fields.first), message: rule.spec.message)
    }
}
