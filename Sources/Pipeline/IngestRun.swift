import Extract
import Foundation
import Load
import Logging
import RCCCore
import Reports
import Transform
import Validate

/// What `rcc ingest` was asked to do.
public struct IngestOptions: Sendable {
    public var inputs: [String]
    public var la: String?
    public var year: Int?
    /// The run's private folder: quarantine files and the summary go here (mode 0700).
    public var runFolder: String
    public var batchSize: Int

    public init(inputs: [String], la: String? = nil, year: Int? = nil, runFolder: String, batchSize: Int = 4096) {
        self.inputs = inputs
        self.la = la
        self.year = year
        self.runFolder = runFolder
        self.batchSize = batchSize
    }
}

/// Runs extract → validate → transform → load over every return found in the inputs.
///
/// Sources are surveyed first (format sniffed, table recognised from the header, LA and year
/// worked out, bytes hashed) and grouped into returns. Each return is then streamed, table by
/// table in dependency order (Header before Episodes), in batches, into one warehouse
/// transaction: all of it lands or none of it does, and a return sent again replaces its
/// earlier version. A refused source refuses its return; the other returns go on.
public final class IngestRun {
    let options: IngestOptions
    let catalog: SchemaCatalog
    let key: PseudonymKey
    let warehouse: any Warehouse
    let logger: Logger
    let runID: String
    private let recognizer: TableRecognizer
    private let identity: ReturnIdentity

    public init(options: IngestOptions, catalog: SchemaCatalog, key: PseudonymKey, warehouse: any Warehouse,
                runID: String, logger: Logger) {
        self.options = options
        self.catalog = catalog
        self.key = key
        self.warehouse = warehouse
        self.runID = runID
        self.logger = logger
        recognizer = TableRecognizer(specs: catalog.inputs.filter(\.readsCSV))
        identity = ReturnIdentity(catalog: catalog, la: options.la, year: options.year)
    }

    /// A source as surveyed: its place in the summary, and the return it belongs to.
    struct Planned {
        var index: Int
        var path: String
        var digest: String
        var spec: InputSpec?
        var key: ReturnKey?
    }

    public func run() async throws -> RunSummary {
        var summary = RunSummary(runID: runID, startedAt: Self.now(), warehouse: warehouse.displayName,
                                 keyFingerprint: key.fingerprint, schemaVersion: catalog.version)
        try await warehouse.prepare(catalog)
        let files = try InputDiscovery.files(in: options.inputs)
        if files.isEmpty { logger.warning("no files found in \(options.inputs.joined(separator: " "))") }

        var planned: [Planned] = []
        for path in files {
            summary.sources.append(RunSummary.Source(path: path))
            planned.append(survey(path, index: summary.sources.count - 1, summary: &summary.sources[summary.sources.count - 1]))
        }

        let groups = Dictionary(grouping: planned.filter { $0.key != nil }, by: { $0.key! })
        for returnKey in groups.keys.sorted() {
            let sources = groups[returnKey]!.sorted { rank($0.spec) == rank($1.spec) ? $0.path < $1.path : rank($0.spec) < rank($1.spec) }
            let result = await load(returnKey, sources: sources, summary: &summary)
            summary.returns.append(result)
        }
        summary.finishedAt = Self.now()
        return summary
    }

    // MARK: Survey

    private func survey(_ path: String, index: Int, summary source: inout RunSummary.Source) -> Planned {
        var plan = Planned(index: index, path: path, digest: "")
        do {
            plan.digest = try SourceDigest.sha256(file: path)
            let opened = try SourceOpener.open(path: path)
            source.format = (opened.containers + [opened.format.description]).joined(separator: " › ")
            source.encoding = opened.encoding
            switch opened.format {
            case .delimitedText:
                let csv = try CSVReader(source: opened.source, encoding: opened.encoding)
                guard let header = try csv.next() else {
                    source.rejected = "the file is empty"
                    return plan
                }
                switch recognizer.recognise(header: header.fields) {
                case .recognised(let match):
                    plan.spec = match.spec
                    source.table = match.spec.id
                    source.extraColumns = match.extraColumns
                case .incomplete(let spec, let problem):
                    plan.spec = spec
                    source.table = spec.id
                    source.rejected = "the header looks like \(spec.title) but has \(problem)"
                case .unrecognised:
                    source.rejected = "the header matches no known table (known: \(catalog.inputs.filter(\.readsCSV).map(\.title).joined(separator: ", ")))"
                    return plan
                }
            case .xml(let root):
                source.rejected = "XML returns (root element \(root)) are not read yet by this version; send the CSV tables"
                return plan
            case .zip:
                source.rejected = "zip archives are not read yet by this version; unzip it and send the files inside"
                return plan
            case .binary(let what):
                source.rejected = "this is \(what), not a CSV or XML return"
                return plan
            }
        } catch {
            source.rejected = "\(error)"
            return plan
        }
        guard let spec = plan.spec else { return plan }
        guard let la = identity.la(for: path) else {
            source.rejected = "cannot tell which LA sent it: \(ReturnIdentity.howToGiveLA)"
            return plan
        }
        guard let year = identity.year(for: path) else {
            source.rejected = "cannot tell which collection year it is for: \(ReturnIdentity.howToGiveYear)"
            return plan
        }
        source.la = la
        source.year = year
        source.collection = spec.collection
        plan.key = ReturnKey(la: la, collection: spec.collection, year: year)
        return plan
    }

    /// Tables referenced by others' foreign keys load first.
    private func rank(_ spec: InputSpec?) -> Int {
        guard let spec, let keys = spec.foreignKeys, !keys.isEmpty else { return 0 }
        return 1 + keys.map { rank(catalog.input($0.reference.table)) }.max()!
    }

    // MARK: Load

    private func load(_ returnKey: ReturnKey, sources: [Planned], summary: inout RunSummary) async -> RunSummary.Return {
        let digest = SourceDigest.combined(sources.map(\.digest))
        var result = RunSummary.Return(la: returnKey.la, collection: returnKey.collection, year: returnKey.year,
                                       status: .rejected, sourceSHA256: digest, rowsRead: 0, rowsLoaded: 0,
                                       rowsQuarantined: 0, findings: 0)
        let refused = sources.filter { summary.sources[$0.index].rejected != nil }
        if !refused.isEmpty {
            result.reason = "not loaded because \(refused.count == 1 ? "a source was" : "\(refused.count) sources were") refused: "
                + refused.map { "\($0.path): \(summary.sources[$0.index].rejected!)" }.joined(separator: "; ")
            logger.error("\(returnKey): \(result.reason!)")
            return result
        }
        do {
            if let current = try await warehouse.currentLoad(of: returnKey), current.sourceSHA256 == digest,
               current.keyFingerprint == key.fingerprint, current.schemaVersion == catalog.version {
                result.status = .unchanged
                result.loadID = current.loadID
                result.reason = "the same files as load \(current.loadID ?? 0) (loaded \(current.loadedAt)); nothing changed"
                logger.info("\(returnKey): unchanged since load \(current.loadID ?? 0)")
                return result
            }
        } catch {
            result.reason = "\(error)"
            return result
        }

        let context = ReturnContext(key: returnKey, retainedFields: RegionalMapper.lookupFields(catalog),
                                    referencedTables: catalog.referencedTables)
        let pseudonymiser = Pseudonymiser(key: key)
        let quarantine = QuarantineWriter(folder: (options.runFolder as NSString)
            .appendingPathComponent("quarantine/\(returnKey.la)-\(returnKey.collection)-\(returnKey.year)"))
        var transaction: (any LoadTransaction)?
        var counts: [(index: Int, RunSummary.Source)] = []
        do {
            let tx = try await warehouse.beginLoad(returnKey)
            transaction = tx
            for planned in sources {
                var source = summary.sources[planned.index]
                try await stream(planned, into: tx, context: context, pseudonymiser: pseudonymiser,
                                 quarantine: quarantine, summary: &source)
                counts.append((planned.index, source))
                result.rowsRead += source.rowsRead
                result.rowsLoaded += source.rowsLoaded
                result.rowsQuarantined += source.rowsQuarantined
                result.findings += source.findings
            }
            let sourcesJSON = try JSONEncoder.sorted.encode(zip(sources, counts).map { planned, count in
                LedgerSource(path: planned.path, sha256: planned.digest, table: planned.spec?.id ?? "",
                             rowsRead: count.1.rowsRead, rowsLoaded: count.1.rowsLoaded,
                             rowsQuarantined: count.1.rowsQuarantined)
            })
            let entry = LedgerEntry(key: returnKey, sourceSHA256: digest, sourcesJSON: String(decoding: sourcesJSON, as: UTF8.self),
                                    rowsRead: result.rowsRead, rowsLoaded: result.rowsLoaded,
                                    rowsQuarantined: result.rowsQuarantined, findings: result.findings,
                                    keyFingerprint: key.fingerprint, schemaVersion: catalog.version,
                                    runID: runID, loadedAt: Self.now())
            result.replacedLoadID = try await tx.commit(entry)
            result.loadID = tx.loadID
            result.status = .loaded
            for (index, source) in counts { summary.sources[index] = source }
            if !quarantine.files.isEmpty { result.quarantineFolder = quarantine.folder }
            logger.info("\(returnKey): loaded as load \(tx.loadID)\(result.replacedLoadID.map { ", replacing load \($0)" } ?? "")")
        } catch {
            await transaction?.rollback()
            result.reason = "not loaded: \(error)"
            result.rowsLoaded = 0
            for (index, var source) in counts {
                source.rowsLoaded = 0
                summary.sources[index] = source
            }
            logger.error("\(returnKey): \(result.reason!)")
        }
        return result
    }

    private struct LedgerSource: Encodable {
        var path: String, sha256: String, table: String
        var rowsRead: Int, rowsLoaded: Int, rowsQuarantined: Int
    }

    private func stream(_ planned: Planned, into tx: any LoadTransaction, context: ReturnContext,
                        pseudonymiser: Pseudonymiser, quarantine: QuarantineWriter,
                        summary source: inout RunSummary.Source) async throws {
        let opened = try SourceOpener.open(path: planned.path)
        let csv = try CSVReader(source: opened.source, encoding: opened.encoding)
        guard let header = try csv.next(), case .recognised(let match) = recognizer.recognise(header: header.fields) else {
            throw RCCError(.format, "\(planned.path): the header changed while it was being read")
        }
        let reader = TableReader(csv: csv, match: match, headerWidth: header.fields.count)
        let spec = match.spec
        let validator = try TableValidator(spec: spec, catalog: catalog, year: context.key.year)
        let mappers = try catalog.mappings(from: spec.id).map {
            try RegionalMapper(mapping: $0, catalog: catalog, returnKey: context.key, pseudonymiser: pseudonymiser)
        }
        var reasons: [String: RunSummary.Reason] = [:]
        if !match.extraColumns.isEmpty {
            logger.notice("\(planned.path): extra columns kept out: \(match.extraColumns.joined(separator: ", "))")
        }
        while let records = try reader.nextBatch(size: options.batchSize) {
            let result = validator.validate(records, source: planned.path, context: context)
            for mapper in mappers where !result.valid.isEmpty {
                try await tx.insert(mapper.map(result.valid, context: context))
            }
            if !result.quarantined.isEmpty {
                try quarantine.write(result.quarantined, spec: spec, source: planned.path)
                let diagnostics = result.quarantined.flatMap { $0.diagnostics.filter { $0.action == .quarantine } }
                try await tx.recordQuarantine(diagnostics)
                for d in diagnostics {
                    let id = d.ruleID + "|" + (d.location.field ?? "")
                    reasons[id, default: RunSummary.Reason(rule: d.ruleID, dfe: d.dfeCode, field: d.location.field,
                                                           message: d.message, count: 0)].count += 1
                }
            }
            if !result.findings.isEmpty {
                let childMapper = mappers.first
                try await tx.recordFindings(result.findings.map { finding in
                    (finding.diagnostic, childMapper?.childPseudonym(result.valid[finding.index], context: context))
                })
            }
            source.rowsLoaded += result.valid.count
            source.rowsQuarantined += result.quarantined.count
            source.findings += result.findings.count
        }
        source.rowsRead = reader.rowsRead
        source.encoding = reader.encoding
        source.quarantineReasons = reasons.values.sorted { $0.count == $1.count ? $0.rule < $1.rule : $0.count > $1.count }
        logger.info("\(planned.path): \(spec.id), \(source.rowsRead) read, \(source.rowsLoaded) loaded, \(source.rowsQuarantined) quarantined")
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
