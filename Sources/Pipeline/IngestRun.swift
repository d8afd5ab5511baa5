import Extract
import Foundation
import Load
import Logging
import RCCCore
import Reports
import Transform

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
    /// When set, the LA and year are told only from the part of each path below this folder (see `ReturnIdentity.root`).
    public var identityRoot: String?

    public init(inputs: [String], la: String? = nil, year: Int? = nil, collection: String? = nil, runFolder: String,
                batchSize: Int = 4096, limits: ExtractionLimits = .default, identityRoot: String? = nil) {
        self.inputs = inputs
        self.la = la
        self.year = year
        self.collection = collection
        self.runFolder = runFolder
        self.batchSize = batchSize
        self.limits = limits
        self.identityRoot = identityRoot
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

    public init(options: IngestOptions, catalog: SchemaCatalog, key: PseudonymKey, warehouse: any Warehouse,
                runID: String, logger: Logger) {
        self.options = options
        self.catalog = catalog
        self.key = key
        self.warehouse = warehouse
        self.runID = runID
        self.logger = logger
    }

    public func run() async throws -> RunSummary {
        var summary = RunSummary(runID: runID, startedAt: Self.now(), warehouse: warehouse.displayName,
                                 keyFingerprint: key.fingerprint, schemaVersion: catalog.version,
                                 profile: catalog.profile.id)
        try await warehouse.prepare(catalog)
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
        for returnKey in groups.keys.sorted() {
            // Refused sources of unknown table that sit with this return (same LA and year) hold it back.
            let heldBy = leaves.filter { $0.heldBack.map { $0.la == returnKey.la && $0.year == returnKey.year } ?? false }
            summary.returns.append(await load(returnKey, leaves: groups[returnKey]! + heldBy, summary: &summary))
        }
        summary.finishedAt = Self.now()
        return summary
    }

    private func load(_ returnKey: ReturnKey, leaves: [Leaf], summary: inout RunSummary) async -> RunSummary.Return {
        // The return's digest: over its input files' digests (one zip may hold several returns).
        let digest = SourceDigest.combined(Array(Set(leaves.map(\.digest))))
        var result = RunSummary.Return(la: returnKey.la, collection: returnKey.collection, year: returnKey.year,
                                       status: .rejected, sourceSHA256: digest)
        let refused = leaves.filter { summary.sources[$0.index].rejected != nil }
        let leaves = leaves.filter { $0.key != nil }
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

        let loader = ReturnLoader(key: returnKey, catalog: catalog, pseudonymiser: Pseudonymiser(key: key),
                                  runFolder: options.runFolder, limits: options.limits, batchSize: options.batchSize,
                                  logger: logger)
        var sources = summary.sources
        var transaction: (any LoadTransaction)?
        do {
            let tx = try await warehouse.beginLoad(returnKey)
            transaction = tx
            try await loader.load(leaves, into: tx, summary: &sources)
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
            let entry = LedgerEntry(key: returnKey, sourceSHA256: digest,
                                    sourcesJSON: String(decoding: try JSONEncoder.sorted.encode(ledgerSources), as: UTF8.self),
                                    rowsRead: result.rowsRead, rowsLoaded: result.rowsLoaded,
                                    rowsQuarantined: result.rowsQuarantined, findings: result.findings,
                                    keyFingerprint: key.fingerprint, schemaVersion: catalog.version,
                                    runID: runID, loadedAt: Self.now())
            result.replacedLoadID = try await tx.commit(entry)
            result.loadID = tx.loadID
            result.status = .loaded
            result.quarantineFolder = loader.quarantineFolder
            summary.sources = sources
            for leaf in leaves {
                let s = sources[leaf.index]
                logger.info("\(leaf.path): \(s.table ?? "?"), \(s.rowsRead) read, \(s.rowsLoaded) loaded, \(s.rowsQuarantined) quarantined")
            }
            logger.info("\(returnKey): loaded as load \(tx.loadID)\(result.replacedLoadID.map { ", replacing load \($0)" } ?? "")")
        } catch {
            await transaction?.rollback()
            result = RunSummary.Return(la: returnKey.la, collection: returnKey.collection, year: returnKey.year,
                                       status: .rejected, sourceSHA256: digest)
            result.reason = "not loaded: \(error)"
            // Rows were read and checked, but none stays loaded.
            for leaf in leaves {
                var source = sources[leaf.index]
                source.rowsLoaded = 0
                for i in source.tables.indices { source.tables[i].rowsLoaded = 0 }
                summary.sources[leaf.index] = source
            }
            logger.error("\(returnKey): \(result.reason!)")
        }
        return result
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
