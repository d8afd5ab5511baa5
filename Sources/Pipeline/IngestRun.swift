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
    public var collection: String?
    /// The run's private folder: quarantine files and the summary go here (mode 0700).
    public var runFolder: String
    public var batchSize: Int
    public var limits: ExtractionLimits
    /// Told how reading goes, file by file (a progress bar, a log line per file).
    public var observer: (any ReadObserver)?
    /// When set, the LA and year are told only from the part of each path below this folder (see `ReturnIdentity.root`).
    public var identityRoot: String?
    /// The reference data folder (`--reference DIR`, see `ReferenceData`), when one is given.
    public var reference: String?

    public init(inputs: [String], la: String? = nil, year: Int? = nil, collection: String? = nil, runFolder: String,
                batchSize: Int = 4096, limits: ExtractionLimits = .default, identityRoot: String? = nil,
                observer: (any ReadObserver)? = nil, reference: String? = nil) {
        self.reference = reference
        self.observer = observer
        self.identityRoot = identityRoot
        self.inputs = inputs
        self.la = la
        self.year = year
        self.collection = collection
        self.runFolder = runFolder
        self.batchSize = batchSize
        self.limits = limits
    }
}

/// Runs extract → validate → transform → load over every return found in the inputs.
///
/// Sources are surveyed first (`SourceSurvey`: archives walked, formats sniffed, tables recognised,
/// returns worked out, bytes hashed) and grouped into returns. Each return is then streamed into one
/// warehouse transaction (`ReturnLoader`): all of it lands or none of it does, and a return sent again
/// replaces its earlier version. A refused source refuses its return; the other returns go on.
public final class IngestRun {
    let options: IngestOptions
    let catalog: SchemaCatalog
    let key: PseudonymKey
    let warehouse: any Warehouse
    let logger: Logger
    let runID: String
    let reference: ReferenceData

    public init(options: IngestOptions, catalog: SchemaCatalog, key: PseudonymKey, warehouse: any Warehouse,
                runID: String, logger: Logger) {
        self.options = options
        self.catalog = catalog
        self.key = key
        self.warehouse = warehouse
        self.runID = runID
        self.logger = logger
        reference = ReferenceData(folder: options.reference, catalog: catalog, limits: options.limits,
                                  batchSize: options.batchSize, logger: logger)
    }

    public func run() async throws -> RunSummary {
        var summary = RunSummary(runID: runID, startedAt: Self.now(), warehouse: warehouse.displayName,
                                 keyFingerprint: key.fingerprint, schemaVersion: catalog.version,
                                 profile: catalog.profile.id)
        try await warehouse.prepare(catalog)
        for (returnKey, leaves) in try Self.survey(options, catalog: catalog, summary: &summary, logger: logger) {
            summary.returns.append(await load(returnKey, leaves: leaves, summary: &summary))
        }
        summary.finishedAt = Self.now()
        return summary
    }

    /// Surveys the inputs and groups their leaves into returns, in key order. A return's group also
    /// holds the refused sources of unknown table that sit with it (same LA and year): they hold it back.
    static func survey(_ options: IngestOptions, catalog: SchemaCatalog, summary: inout RunSummary,
                       logger: Logger) throws -> [(ReturnKey, [Leaf])] {
        let identity = ReturnIdentity(catalog: catalog, la: options.la, year: options.year, collection: options.collection,
                                      root: options.identityRoot)
        let survey = SourceSurvey(catalog: catalog, identity: identity, limits: options.limits)
        var leaves: [Leaf] = []
        for input in options.inputs {
            let root = FileManager.default.isDirectory(input) ? input : (input as NSString).deletingLastPathComponent
            for file in try InputDiscovery.files(in: [input]) {
                leaves += survey.survey(file: file, root: root, summary: &summary)
            }
        }
        if summary.sources.isEmpty { logger.warning("no files found in \(options.inputs.joined(separator: " "))") }
        let groups = Dictionary(grouping: leaves.filter { $0.key != nil }, by: { $0.key! })
        return groups.keys.sorted().map { returnKey in
            let heldBy = leaves.filter { $0.heldBack.map { $0.la == returnKey.la && $0.year == returnKey.year } ?? false }
            return (returnKey, groups[returnKey]! + heldBy)
        }
    }

    /// A return's digest (over its input files' digests: one zip may hold several returns), and its
    /// refusal when a source of it was refused.
    static func screen(_ returnKey: ReturnKey, leaves: [Leaf], summary: RunSummary, logger: Logger) -> RunSummary.Return {
        let digest = SourceDigest.combined(Array(Set(leaves.map(\.digest))))
        var result = RunSummary.Return(la: returnKey.la, collection: returnKey.collection, year: returnKey.year,
                                       status: .rejected, sourceSHA256: digest)
        let refused = leaves.filter { summary.sources[$0.index].rejected != nil }
        if !refused.isEmpty {
            result.reason = "not loaded because \(refused.count == 1 ? "a source was" : "\(refused.count) sources were") refused: "
                + refused.map { "\($0.path): \(summary.sources[$0.index].rejected!)" }.joined(separator: "; ")
            logger.error("\(returnKey): \(result.reason!)")
        }
        return result
    }

    private func load(_ returnKey: ReturnKey, leaves: [Leaf], summary: inout RunSummary) async -> RunSummary.Return {
        var result = Self.screen(returnKey, leaves: leaves, summary: summary, logger: logger)
        if result.reason != nil { return result }
        let leaves = leaves.filter { $0.key != nil }
        if await Self.unchanged(returnKey, result: &result, warehouse: warehouse, keyFingerprint: key.fingerprint,
                                schemaVersion: catalog.version, logger: logger) {
            return result
        }

        var (previous, reasons) = await Self.previousYear(for: returnKey, reference: reference, catalog: catalog,
                                                          runFolder: options.runFolder, logger: logger)
        let (postcodes, providers) = await Self.references(for: returnKey, leaves: leaves, previous: previous, reference: reference,
                                                           catalog: catalog, runFolder: options.runFolder, limits: options.limits,
                                                           batchSize: options.batchSize, summary: summary, reasons: &reasons,
                                                           logger: logger)
        let loader = ReturnLoader(key: returnKey, catalog: catalog, pseudonymiser: Pseudonymiser(key: key),
                                  runFolder: options.runFolder, limits: options.limits, batchSize: options.batchSize,
                                  logger: logger, observer: options.observer, previousYear: previous,
                                  postcodes: postcodes, providers: providers)
        var sources = summary.sources
        var transaction: (any LoadTransaction)?
        do {
            let tx = try await warehouse.beginLoad(returnKey)
            transaction = tx
            try await loader.load(leaves, into: tx, summary: &sources)
            result.quarantineFolder = loader.quarantineFolder
            try await Self.commit(tx, returnKey, leaves: leaves, sources: sources, result: &result,
                                  catalog: catalog, runID: runID, keyFingerprint: key.fingerprint, logger: logger,
                                  referenceReasons: reasons)
            summary.sources = sources
        } catch {
            await transaction?.rollback()
            for leaf in leaves { summary.sources[leaf.index] = sources[leaf.index] }
            Self.failed(returnKey, leaves: leaves, error: error, result: &result, summary: &summary, logger: logger)
        }
        return result
    }

    /// Whether the return is already current with these very files, key and schema (then `result` says so).
    static func unchanged(_ returnKey: ReturnKey, result: inout RunSummary.Return, warehouse: any Warehouse,
                          keyFingerprint: String, schemaVersion: String, logger: Logger) async -> Bool {
        do {
            if let current = try await warehouse.currentLoad(of: returnKey), current.sourceSHA256 == result.sourceSHA256,
               current.keyFingerprint == keyFingerprint, current.schemaVersion == schemaVersion {
                result.status = .unchanged
                result.loadID = current.loadID
                result.reason = "the same files as load \(current.loadID ?? 0) (loaded \(current.loadedAt)); nothing changed"
                logger.info("\(returnKey): unchanged since load \(current.loadID ?? 0)")
                return true
            }
            return false
        } catch {
            result.reason = "\(error)"
            return true
        }
    }

    /// Writes the return's ledger entry and commits its load.
    static func commit(_ tx: any LoadTransaction, _ returnKey: ReturnKey, leaves: [Leaf], sources: [RunSummary.Source],
                       result: inout RunSummary.Return, catalog: SchemaCatalog, runID: String, keyFingerprint: String,
                       logger: Logger, referenceReasons: [String: String] = notSupplied) async throws {
        let schemaVersion = catalog.version
        for leaf in leaves {
            let source = sources[leaf.index]
            result.rowsRead += source.rowsRead
            result.rowsLoaded += source.rowsLoaded
            result.rowsQuarantined += source.rowsQuarantined
            result.findings += source.findings
        }
        let ledgerSources = leaves.map { leaf in
            LedgerSource(path: leaf.path, sha256: leaf.digest, tables: leaf.specs.map(\.id),
                         rowsRead: sources[leaf.index].rowsRead, rowsLoaded: sources[leaf.index].rowsLoaded,
                         rowsQuarantined: sources[leaf.index].rowsQuarantined)
        }
        let entry = LedgerEntry(key: returnKey, sourceSHA256: result.sourceSHA256 ?? "",
                                sourcesJSON: String(decoding: try JSONEncoder.sorted.encode(ledgerSources), as: UTF8.self),
                                rowsRead: result.rowsRead, rowsLoaded: result.rowsLoaded,
                                rowsQuarantined: result.rowsQuarantined, findings: result.findings,
                                keyFingerprint: keyFingerprint, schemaVersion: schemaVersion,
                                runID: runID, loadedAt: now())
        result.replacedLoadID = try await tx.commit(entry)
        result.loadID = tx.loadID
        result.status = .loaded
        result.rulesNotRun = ReferenceData.rulesNotRun(returnKey, catalog: catalog, reasons: referenceReasons)
        for leaf in leaves {
            let s = sources[leaf.index]
            logger.info("\(leaf.path): \(s.table ?? "?"), \(s.rowsRead) read, \(s.rowsLoaded) loaded, \(s.rowsQuarantined) quarantined")
        }
        logger.info("\(returnKey): loaded as load \(tx.loadID)\(result.replacedLoadID.map { ", replacing load \($0)" } ?? "")")
    }

    /// Why each kind of reference data is missing when no `--reference DIR` is given.
    static let notSupplied = [ReferenceData.previousYear: "not supplied (give --reference DIR)",
                              ReferenceData.postcodes: "not supplied (give --reference DIR)",
                              ReferenceData.ofsted: "not supplied (give --reference DIR)"]

    /// The postcode directory (the entries of the postcodes this return and last year's name, found by a
    /// first read of the return's leaves) and Ofsted's provider list, when the return's rules read them and
    /// DIR holds them; `reasons` gains why each is missing.
    static func references(for key: ReturnKey, leaves: [Leaf], previous: PreviousReturn?, reference: ReferenceData,
                           catalog: SchemaCatalog, runFolder: String, limits: ExtractionLimits, batchSize: Int,
                           summary: RunSummary, reasons: inout [String: String],
                           logger: Logger) async -> (PostcodeDirectory?, ProviderList?) {
        await references(for: key, previous: previous, reference: reference, reasons: &reasons, logger: logger) { fields in
            var wanted: Set<UInt64> = []
            let reader = ReturnLoader(key: key, catalog: catalog, pseudonymiser: nil, runFolder: runFolder, limits: limits,
                                      batchSize: batchSize, logger: logger)
            var sources = summary.sources
            try await reader.extract(leaves, summary: &sources) { _, spec, records, _ in
                ReferenceData.collectPostcodes(records, spec: spec, fields: fields, into: &wanted)
            }
            return wanted
        }
    }

    /// The postcode directory (the entries of the postcodes `named` gives, from the return's `fields`, and
    /// those last year's return names) and Ofsted's provider list, when the return's rules read them and DIR
    /// holds them; `reasons` gains why each is missing. `named` is called only when the postcode rules run.
    static func references(for key: ReturnKey, previous: PreviousReturn?, reference: ReferenceData,
                           reasons: inout [String: String], logger: Logger,
                           named: (_ fields: [String]) async throws -> Set<UInt64>) async -> (PostcodeDirectory?, ProviderList?) {
        var postcodes: PostcodeDirectory?, providers: ProviderList?
        reasons[ReferenceData.postcodes] = notSupplied[ReferenceData.postcodes]
        reasons[ReferenceData.ofsted] = notSupplied[ReferenceData.ofsted]
        // Ofsted's list first: the directory keeps its providers' postcodes too (`provider_la`).
        if reference.folder != nil && reference.wants(ReferenceData.ofsted, of: key) {
            let (list, reason) = reference.providers()
            providers = list
            reasons[ReferenceData.ofsted] = reason
            if let reason { logger.warning("\(key): Ofsted rules not run: \(reason)") }
        }
        if reference.wantsPostcodes(of: key) {
            do {
                let wanted = try await named(reference.postcodeFields).union(previous?.postcodes ?? [])
                    .union(providers?.postcodeKeys ?? [])
                let (directory, reason) = reference.postcodes(wanted: wanted)
                postcodes = directory
                reasons[ReferenceData.postcodes] = reason
            } catch {
                reasons[ReferenceData.postcodes] = "not read: the return could not be read for its postcodes: \(error)"
            }
            if let reason = reasons[ReferenceData.postcodes] { logger.warning("\(key): postcode rules not run: \(reason)") }
        }
        return (postcodes, providers)
    }

    /// The previous year's return for a return whose collection has rules that read it, and why each kind
    /// of reference data is missing (nothing for previous-year when it was read).
    static func previousYear(for key: ReturnKey, reference: ReferenceData, catalog: SchemaCatalog, runFolder: String,
                             logger: Logger) async -> (PreviousReturn?, [String: String]) {
        let wanted = catalog.rules.contains {
            ($0.needs ?? []).contains(ReferenceData.previousYear) && catalog.input($0.table)?.collection == key.collection
                && $0.isInForce(in: key.year)
        }
        guard wanted else { return (nil, notSupplied) }
        let (previous, reason) = await reference.previousYear(for: key, runFolder: runFolder)
        if let reason {
            if reference.folder != nil { logger.warning("\(key): previous-year rules not run: \(reason)") }
            return (nil, [ReferenceData.previousYear: reason])
        }
        return (previous, [:])
    }

    /// A return that failed part-way: rejected with the error, and none of its rows (read and checked,
    /// as `summary` has them) counted as loaded.
    static func failed(_ returnKey: ReturnKey, leaves: [Leaf], error: any Error, result: inout RunSummary.Return,
                       summary: inout RunSummary, logger: Logger) {
        result = RunSummary.Return(la: returnKey.la, collection: returnKey.collection, year: returnKey.year,
                                   status: .rejected, sourceSHA256: result.sourceSHA256)
        result.reason = "not loaded: \(error)"
        for leaf in leaves {
            summary.sources[leaf.index].rowsLoaded = 0
            for i in summary.sources[leaf.index].tables.indices { summary.sources[leaf.index].tables[i].rowsLoaded = 0 }
        }
        logger.error("\(returnKey): \(result.reason!)")
    }

    private struct LedgerSource: Encodable {
        var path: String, sha256: String, tables: [String]
        var rowsRead: Int, rowsLoaded: Int, rowsQuarantined: Int
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
