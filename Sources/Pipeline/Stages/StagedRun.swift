import Extract
import Foundation
import Load
import Logging
import RCCCore
import Transform
import Validate

/// What a staged run keeps between its stages, in `WORK/state.json`: per return, its sources and
/// where it stands, and the run summary as each stage left it. Paths, counts and reasons: no raw value.
public struct StageState: Codable, Sendable {
    public struct Leaf: Codable, Sendable {
        var index: Int
        var file: String
        var path: String
        var digest: String
        var tables: [String]
        /// The root element, for an XML leaf.
        var xmlRoot: String?
    }

    public struct Return: Codable, Sendable {
        var key: ReturnKey
        var leaves: [Leaf]
        /// The return as far as it got: rejected (with why) at any stage, or loaded or unchanged.
        var result: RunSummary.Return
        var quarantineFolder: String?
        /// Why reference data the return's rules need was missing, by kind (set by validate).
        var referenceReasons: [String: String]?
        var folder: String { "\(key.la)-\(key.collection)-\(key.year)" }
    }

    public var runID: String
    public var returns: [Return]
    /// The summary as each stage left it, by stage name: a stage re-run starts from its predecessor's.
    public var summaries: [String: RunSummary]
    /// Set by transform: the key's fingerprint and the profile the rows were made under.
    public var keyFingerprint: String?
    public var profile: String?
    /// The reference data folder given to extract (`--reference DIR`), read again by validate and transform.
    public var reference: String?
}

/// `rcc extract | validate | transform | load`: the stages of `rcc ingest` run one at a time, each
/// reading the previous stage's output from a work folder and writing its own, so a stage can be run
/// again alone (after a fix to the schemas, say). They run the very steps `rcc ingest` runs
/// (`ReturnLoader`), so a staged run fills the warehouse exactly as one `rcc ingest` does.
///
///     WORK/state.json                   the runs' returns and summaries (no raw values)
///     WORK/extract/LA-COLL-YEAR/        records as read (raw values; mode 0700)
///     WORK/validate/LA-COLL-YEAR/       records checked: to load, findings, quarantined (raw values)
///     WORK/transform/LA-COLL-YEAR/      regional rows, pseudonymised and coarsened (no raw values)
///     WORK/quarantine/LA-COLL-YEAR/     quarantined rows as sent, for the LA (raw values)
///
/// The raw extract and validate folders of a return are removed once its transform has succeeded.
public final class StagedRun {
    public static let stages = ["extract", "validate", "transform", "load"]

    let work: String
    let catalog: SchemaCatalog
    let logger: Logger
    let limits: ExtractionLimits
    let batchSize: Int

    public init(work: String, catalog: SchemaCatalog, limits: ExtractionLimits = .default, batchSize: Int = 4096, logger: Logger) {
        self.work = work
        self.catalog = catalog
        self.limits = limits
        self.batchSize = batchSize
        self.logger = logger
    }

    var statePath: String { path("state.json") }
    func path(_ parts: String...) -> String { parts.reduce(work) { ($0 as NSString).appendingPathComponent($1) } }

    // MARK: extract

    /// Surveys the inputs and reads every return's records into `WORK/extract/`. Starts a new staged
    /// run: what earlier stages left in the work folder is removed first.
    public func extract(_ options: IngestOptions, runID: String) async throws -> RunSummary {
        try Self.makePrivate(work)
        for stage in Self.stages + ["quarantine", "work"] { try? FileManager.default.removeItem(atPath: path(stage)) }
        try? FileManager.default.removeItem(atPath: statePath)
        var summary = RunSummary(runID: runID, startedAt: IngestRun.now(), warehouse: "", keyFingerprint: "",
                                 schemaVersion: catalog.version, profile: catalog.profile.id)
        var state = StageState(runID: runID, returns: [], summaries: [:])
        state.reference = options.reference
        for (key, group) in try IngestRun.survey(options, catalog: catalog, summary: &summary, logger: logger) {
            var result = IngestRun.screen(key, leaves: group, summary: summary, logger: logger)
            let leaves = group.filter { $0.key != nil }
            var staged = StageState.Return(key: key, leaves: leaves.map(Self.stateLeaf), result: result)
            if result.reason == nil {
                let folder = path("extract", staged.folder)
                do {
                    try Self.makePrivate(folder)
                    let writer = try WorkFileWriter(path: (folder as NSString).appendingPathComponent("records.rcw"))
                    let loader = loader(for: key, pseudonymiser: nil)
                    loader.observer = options.observer
                    try await loader.extract(leaves, summary: &summary.sources) { leaf, spec, records, _ in
                        try WorkFrames.writeRecords(writer, leaf: leaf.index, table: spec.id, records)
                    }
                    try writer.close()
                    result.status = .loaded   // in progress: only `rejected` is final before load
                } catch {
                    try? FileManager.default.removeItem(atPath: folder)
                    IngestRun.failed(key, leaves: leaves, error: error, result: &result, summary: &summary, logger: logger)
                }
            }
            staged.result = result
            state.returns.append(staged)
        }
        summary.returns = state.returns.map(\.result)
        state.summaries["extract"] = summary
        try save(state)
        return summary
    }

    // MARK: validate

    /// Checks the extracted records of every return: rows to load, findings, rows quarantined (written
    /// as sent to `WORK/quarantine/`).
    public func validate() async throws -> RunSummary {
        var state = try load(after: "extract", for: "validate")
        var summary = state.summaries["extract"]!
        let reference = ReferenceData(folder: state.reference, catalog: catalog, limits: limits, batchSize: batchSize, logger: logger)
        try? FileManager.default.removeItem(atPath: path("quarantine"))
        for i in state.returns.indices where state.returns[i].result.status != .rejected {
            let staged = state.returns[i]
            let leaves = try leaves(of: staged)
            let folder = path("validate", staged.folder)
            do {
                try? FileManager.default.removeItem(atPath: folder)
                try Self.makePrivate(folder)
                let reader = try WorkFileReader(path: path("extract", staged.folder, "records.rcw"))
                let writer = try WorkFileWriter(path: (folder as NSString).appendingPathComponent("validated.rcw"))
                let references = await referenceData(for: staged, reference: reference)
                state.returns[i].referenceReasons = references.reasons
                let loader = loader(for: staged.key, pseudonymiser: nil, references: references)
                while try reader.hasMore() {
                    let (index, table, records) = try WorkFrames.readRecords(reader)
                    let (leaf, spec) = try locate(index, table, in: leaves)
                    let result = try loader.validate(records, spec: spec, leaf: leaf, summary: &summary.sources)
                    try WorkFrames.writeValidated(writer, leaf: index, table: table, result)
                }
                // The rules over the whole return: a frame of no rows, their findings only, for transform.
                for (index, table, finding) in loader.aggregateFindings(leaves, summary: &summary.sources) {
                    var result = ValidationResult()
                    result.findings = [finding]
                    try WorkFrames.writeValidated(writer, leaf: index, table: table, result)
                }
                try writer.close()
                loader.finish(leaves, summary: &summary.sources)
                state.returns[i].quarantineFolder = loader.quarantineFolder
            } catch {
                try? FileManager.default.removeItem(atPath: folder)
                IngestRun.failed(staged.key, leaves: leaves, error: error, result: &state.returns[i].result, summary: &summary, logger: logger)
            }
        }
        summary.returns = state.returns.map(\.result)
        state.summaries["validate"] = summary
        try save(state)
        return summary
    }

    // MARK: transform

    /// Maps every return's checked rows to the regional schema under `key` (pseudonymised, coarsened),
    /// then removes the return's raw extract and validate folders.
    public func transform(key: PseudonymKey) async throws -> RunSummary {
        var state = try load(after: "validate", for: "transform")
        var summary = state.summaries["validate"]!
        let pseudonymiser = Pseudonymiser(key: key)
        let reference = ReferenceData(folder: state.reference, catalog: catalog, limits: limits, batchSize: batchSize, logger: logger)
        for i in state.returns.indices where state.returns[i].result.status != .rejected {
            let staged = state.returns[i]
            let leaves = try leaves(of: staged)
            let folder = path("transform", staged.folder)
            do {
                try? FileManager.default.removeItem(atPath: folder)
                try Self.makePrivate(folder)
                let reader = try WorkFileReader(path: path("validate", staged.folder, "validated.rcw"))
                let writer = try WorkFileWriter(path: (folder as NSString).appendingPathComponent("rows.rcw"))
                // The sequence rules run here, those reading reference data among them (the extracted
                // records are still there to find the return's postcodes in).
                let references = await referenceData(for: staged, reference: reference)
                let loader = loader(for: staged.key, pseudonymiser: pseudonymiser, references: references)
                while try reader.hasMore() {
                    let (index, table, result) = try WorkFrames.readValidated(reader)
                    let (leaf, spec) = try locate(index, table, in: leaves)
                    let transformed = try loader.transform(result, spec: spec, leaf: leaf, summary: &summary.sources, register: true)
                    try WorkFrames.writeTransformed(writer, transformed)
                }
                try loader.sequenceFindings(summary: &summary.sources) { try WorkFrames.writeTransformed(writer, $0) }
                try writer.close()
                loader.finish(leaves, summary: &summary.sources)
                // The raw values of this return are no longer needed here.
                try FileManager.default.removeItem(atPath: path("extract", staged.folder))
                try FileManager.default.removeItem(atPath: path("validate", staged.folder))
            } catch {
                try? FileManager.default.removeItem(atPath: folder)
                IngestRun.failed(staged.key, leaves: leaves, error: error, result: &state.returns[i].result, summary: &summary, logger: logger)
            }
        }
        try? FileManager.default.removeItem(atPath: path("work"))
        for stage in ["extract", "validate"] where (try? FileManager.default.contentsOfDirectory(atPath: path(stage)))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: path(stage))
        }
        summary.returns = state.returns.map(\.result)
        summary.keyFingerprint = key.fingerprint
        state.keyFingerprint = key.fingerprint
        state.profile = catalog.profile.id
        state.summaries["transform"] = summary
        try save(state)
        return summary
    }

    // MARK: load

    /// Loads every transformed return into the warehouse, each in one transaction, as `rcc ingest` does:
    /// a return already current with the same files, key and schema is left unchanged.
    public func load(into warehouse: any Warehouse) async throws -> RunSummary {
        var state = try load(after: "transform", for: "load")
        var summary = state.summaries["transform"]!
        guard let fingerprint = state.keyFingerprint, state.profile == catalog.profile.id else {
            throw RCCError(.usage, "the rows in \(work) were made under the \"\(state.profile ?? "?")\" profile and this load is for \"\(catalog.profile.id)\": give --profile \(state.profile ?? "?")")
        }
        summary.warehouse = warehouse.displayName
        try await warehouse.prepare(catalog)
        for i in state.returns.indices where state.returns[i].result.status != .rejected {
            let staged = state.returns[i]
            let leaves = try leaves(of: staged)
            var result = RunSummary.Return(la: staged.key.la, collection: staged.key.collection, year: staged.key.year,
                                           status: .rejected, sourceSHA256: staged.result.sourceSHA256)
            if await IngestRun.unchanged(staged.key, result: &result, warehouse: warehouse, keyFingerprint: fingerprint,
                                         schemaVersion: catalog.version, logger: logger) {
                state.returns[i].result = result
                continue
            }
            var transaction: (any LoadTransaction)?
            do {
                let reader = try WorkFileReader(path: path("transform", staged.folder, "rows.rcw"))
                let tx = try await warehouse.beginLoad(staged.key)
                transaction = tx
                let loader = loader(for: staged.key, pseudonymiser: nil)
                while try reader.hasMore() {
                    try await loader.deliver(try WorkFrames.readTransformed(reader, catalog: catalog), into: tx)
                }
                result.quarantineFolder = staged.quarantineFolder
                try await IngestRun.commit(tx, staged.key, leaves: leaves, sources: summary.sources, result: &result,
                                           catalog: catalog, runID: state.runID, keyFingerprint: fingerprint, logger: logger,
                                           referenceReasons: staged.referenceReasons ?? IngestRun.notSupplied)
            } catch {
                await transaction?.rollback()
                IngestRun.failed(staged.key, leaves: leaves, error: error, result: &result, summary: &summary, logger: logger)
            }
            state.returns[i].result = result
        }
        summary.returns = state.returns.map(\.result)
        summary.finishedAt = IngestRun.now()
        state.summaries["load"] = summary
        try save(state)
        return summary
    }

    // MARK: Helpers

    private func loader(for key: ReturnKey, pseudonymiser: Pseudonymiser?, references: References? = nil) -> ReturnLoader {
        ReturnLoader(key: key, catalog: catalog, pseudonymiser: pseudonymiser, runFolder: work, limits: limits,
                     batchSize: batchSize, logger: logger, previousYear: references?.previous,
                     postcodes: references?.postcodes, providers: references?.providers)
    }

    /// The reference data for `staged` under the run's reference folder (last year's return, the postcode
    /// directory's entries for the postcodes the extracted records and last year's name, Ofsted's list), and
    /// why data is missing: what `rcc ingest` reads for the return.
    private func referenceData(for staged: StageState.Return, reference: ReferenceData) async -> References {
        let key = staged.key
        var (previous, reasons) = await IngestRun.previousYear(for: key, reference: reference, catalog: catalog, runFolder: work,
                                                               logger: logger)
        let records = path("extract", staged.folder, "records.rcw")
        let (postcodes, providers) = await IngestRun.references(for: key, previous: previous, reference: reference,
                                                                reasons: &reasons, logger: logger) { fields in
            var wanted: Set<UInt64> = []
            let reader = try WorkFileReader(path: records)
            let leaves = try leaves(of: staged)
            while try reader.hasMore() {
                let (index, table, records) = try WorkFrames.readRecords(reader)
                let (_, spec) = try locate(index, table, in: leaves)
                ReferenceData.collectPostcodes(records, spec: spec, fields: fields, into: &wanted)
            }
            return wanted
        }
        return References(previous: previous, postcodes: postcodes, providers: providers, reasons: reasons)
    }

    struct References {
        var previous: PreviousReturn?
        var postcodes: PostcodeDirectory?
        var providers: ProviderList?
        var reasons: [String: String]
    }

    static func stateLeaf(_ leaf: Leaf) -> StageState.Leaf {
        var root: String?
        if case .xml(let r, _) = leaf.content { root = r }
        return StageState.Leaf(index: leaf.index, file: leaf.file, path: leaf.path, digest: leaf.digest,
                               tables: leaf.specs.map(\.id), xmlRoot: root)
    }

    /// The return's leaves as the survey made them, rebuilt from the state with this run's specs.
    func leaves(of staged: StageState.Return) throws -> [Leaf] {
        try staged.leaves.map { saved in
            let specs = try saved.tables.map { id in
                guard let spec = catalog.input(id) else {
                    throw RCCError(.usage, "\(saved.path) was extracted as \(id), which the schemas of this run do not have: run extract again")
                }
                return spec
            }
            let content: Leaf.Content = saved.xmlRoot.map { .xml(root: $0, specs: specs) } ?? .csv(specs[0])
            return Leaf(index: saved.index, file: saved.file, path: saved.path, digest: saved.digest,
                        content: content, key: staged.key, heldBack: nil)
        }
    }

    private func locate(_ index: Int, _ table: String, in leaves: [Leaf]) throws -> (Leaf, InputSpec) {
        guard let leaf = leaves.first(where: { $0.index == index }), let spec = leaf.specs.first(where: { $0.id == table }) else {
            throw RCCError(.format, "the work folder \(work) does not match its state.json (source \(index), table \(table)): run extract again")
        }
        return (leaf, spec)
    }

    private func load(after previous: String, for stage: String) throws -> StageState {
        guard let data = FileManager.default.contents(atPath: statePath) else {
            throw RCCError(.usage, "nothing to \(stage) in \(work): run `rcc \(previous)` first")
        }
        let state: StageState
        do { state = try JSONDecoder().decode(StageState.self, from: data) } catch {
            throw RCCError(.usage, "\(statePath) cannot be read (\(error)): run `rcc extract` again")
        }
        guard state.summaries[previous] != nil else {
            throw RCCError(.usage, "nothing to \(stage) in \(work): run `rcc \(previous)` first")
        }
        if previous == "extract" || previous == "validate" {
            // The raw stage folders go once transform succeeds: a later stage cannot be undone.
            for r in state.returns where r.result.status != .rejected
                && !FileManager.default.fileExists(atPath: path(previous, r.folder)) {
                throw RCCError(.usage, "\(path(previous, r.folder)) is gone (transform removes the raw stage folders once it succeeds): run `rcc extract` again")
            }
        }
        return state
    }

    private func save(_ state: StageState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = statePath + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: try encoder.encode(state),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw RCCError(.io, "cannot write \(temporary)")
        }
        guard rename(temporary, statePath) == 0 else {
            throw RCCError(.io, "cannot write \(statePath): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates a folder (and its parents) readable by its owner only.
    static func makePrivate(_ folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
    }
}
