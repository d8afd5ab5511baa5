import Extract
import Foundation
import Load
import Logging
import RCCCore
import Transform
import Validate

/// Loads one return: its leaves are streamed, in batches, through validation and the mappings to the
/// regional schema, into one warehouse transaction. Tables others refer to load first (Header before
/// Episodes), whatever order the files or archive members come in: input files are walked once per
/// rank of table they hold. Any error rolls the whole return back.
final class ReturnLoader {
    let key: ReturnKey
    let catalog: SchemaCatalog
    let limits: ExtractionLimits
    let batchSize: Int
    let logger: Logger
    private let context: ReturnContext
    /// Nil for the extract and validate stages, which pseudonymise nothing.
    private let pseudonymiser: Pseudonymiser?
    private let quarantine: QuarantineWriter
    private var validators: [String: TableValidator] = [:]
    private var mappers: [String: [RegionalMapper]] = [:]
    private var reasons: [Int: [String: RunSummary.Reason]] = [:]
    /// Per leaf, per table and field: values repaired from Excel's number form, and date formats seen.
    private var repairs: [Int: [String: [String: Int]]] = [:]
    private var dateFormats: [Int: [String: [String: [String: Int]]]] = [:]
    /// The return's sequence rules (by table, and the fields each table's rows keep for them) and the store
    /// of the child's rows they read; made on first need (nil inside when there are none).
    private var sequencePlan: (plan: SequenceRules.Plan, store: SequenceStore)??
    /// The return's rules over the whole return, counting as rows are validated; made on first need.
    private var aggregateRules: AggregateRules??
    private let scratchFolder: String
    /// Per leaf and table: valid rows the profile keeps no regional table for.
    private var outOfProfile: [Int: [String: Int]] = [:]
    /// Per leaf, table and date field: (values that fit either way round, values that fit only month first).
    private var dateOrder: [Int: [String: [String: (ambiguous: Int, monthFirst: Int)]]] = [:]

    /// Told how reading goes, file by file.
    var observer: (any ReadObserver)?

    init(key: ReturnKey, catalog: SchemaCatalog, pseudonymiser: Pseudonymiser?, runFolder: String,
         limits: ExtractionLimits, batchSize: Int, logger: Logger, observer: (any ReadObserver)? = nil,
         previousYear: PreviousReturn? = nil, postcodes: PostcodeDirectory? = nil, providers: ProviderList? = nil) {
        self.observer = observer
        self.key = key
        self.catalog = catalog
        self.pseudonymiser = pseudonymiser
        self.limits = limits
        self.batchSize = batchSize
        self.logger = logger
        // The fields other tables look up: for the mappings (a child's DOB, for ages) and for the rules.
        let retained = RegionalMapper.lookupFields(catalog).merging(RowRule.lookupFields(catalog)) { mine, theirs in
            mine + theirs.filter { !mine.contains($0) }
        }
        context = ReturnContext(key: key, retainedFields: retained,
                                referencedTables: catalog.referencedTables,
                                spillFolder: (runFolder as NSString).appendingPathComponent("work"))
        context.previousYear = previousYear
        context.postcodes = postcodes
        context.providers = providers
        scratchFolder = (runFolder as NSString).appendingPathComponent("work")
        quarantine = QuarantineWriter(folder: (runFolder as NSString)
            .appendingPathComponent("quarantine/\(key.la)-\(key.collection)-\(key.year)"))
    }

    var quarantineFolder: String? { quarantine.files.isEmpty ? nil : quarantine.folder }

    /// Tables referenced by others' foreign keys load first.
    func rank(_ spec: InputSpec) -> Int {
        guard let keys = spec.foreignKeys, !keys.isEmpty else { return 0 }
        return 1 + (keys.compactMap { catalog.input($0.reference.table) }.filter { $0.id != spec.id }.map(rank).max() ?? 0)
    }

    /// Streams every leaf into `tx`, updating each leaf's summary entry.
    /// Each batch is mapped and loaded while the next ones are validated (on the other core), loaded in
    /// the order read.
    func load(_ leaves: [Leaf], into tx: any LoadTransaction, summary: inout [RunSummary.Source]) async throws {
        // Three stages a batch, each on its own: validation here, then transform, then loading, so that
        // while batch N is validated, N-1 is mapped and N-2 loaded. Transforms run one at a time in order
        // (each waits for the one before: they add to the sequence rules' store), loads too; this task
        // waits for the load of two batches before, so at most three batches are out at once.
        var transforming: Task<Transformed, Never>?
        var loads: [Task<Void, any Error>] = []
        do {
            try await extract(leaves, summary: &summary) { leaf, spec, records, summary in
                let result = try self.validate(records, spec: spec, leaf: leaf, summary: &summary)
                let job = try self.prepare(result, spec: spec, leaf: leaf, summary: &summary)
                if loads.count == 2 { try await loads.removeFirst().value }
                let previousTransform = transforming, previousLoad = loads.last
                let transform = Task { _ = await previousTransform?.value; return job.run() }
                transforming = transform
                loads.append(Task {
                    let transformed = await transform.value
                    try await previousLoad?.value
                    try await Self.deliver(transformed, into: tx)
                })
            }
            try await loads.last?.value
        } catch {
            // Nothing may still be writing when the caller rolls back: each load waits for the one before.
            _ = await loads.last?.result
            throw error
        }
        context.rowChecksDone()
        // The warehouse's own work on the complete rows (SQLite building a new table's indexes: one core)
        // runs beside the sequence rules (which read their own store, not the warehouse).
        async let rowsComplete: Void = tx.rowsComplete()
        try await sequenceFindings(into: tx, summary: &summary)
        try await rowsComplete
        var whole = Transformed()
        whole.findings = aggregateFindings(leaves, summary: &summary).map { (diagnostic: $0.finding.diagnostic, child: nil) }
        try await deliver(whole, into: tx)
        finish(leaves, summary: &summary)
    }

    /// Extract: reads every leaf, batch by batch, in the order the return must be validated in (tables
    /// others refer to first), handing each batch to `each`; notes how each leaf was read.
    func extract(_ leaves: [Leaf], summary: inout [RunSummary.Source],
                 each: (Leaf, InputSpec, [Record], inout [RunSummary.Source]) async throws -> Void) async throws {
        // An XML leaf carries all its tables and emits parents first: it runs with its lowest rank.
        func leafRank(_ leaf: Leaf) -> Int { leaf.specs.map(rank).min() ?? 0 }
        for level in Set(leaves.map(leafRank)).sorted() {
            let here = leaves.filter { leafRank($0) == level }
            var files: [String] = []
            for leaf in here where !files.contains(leaf.file) { files.append(leaf.file) }
            for file in files {
                let wanted = Dictionary(here.filter { $0.file == file }.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
                let sink = try await stream(file, wanted: wanted) { leaf, spec, records in
                    try await each(leaf, spec, records, &summary)
                }
                for (index, encoding) in sink.encodings { summary[index].encoding = encoding }
                for (index, notes) in sink.notes { summary[index].notes += notes }
                let missing = Set(wanted.keys).subtracting(sink.seen)
                if !missing.isEmpty {
                    throw RCCError(.io, "\(missing.sorted().joined(separator: ", ")) changed or vanished while being read")
                }
            }
        }
    }

    /// Puts what this loader tallied (quarantine reasons, notes) into the leaves' summary entries.
    func finish(_ leaves: [Leaf], summary: inout [RunSummary.Source]) {
        for (index, byKey) in reasons {
            summary[index].quarantineReasons = byKey.values.sorted { $0.count == $1.count ? $0.rule < $1.rule : $0.count > $1.count }
        }
        for leaf in leaves { summary[leaf.index].notes += notes(for: leaf) }
    }

    /// What is worth telling about how a leaf's values were read: Excel repairs, and dates in a format
    /// other than the spec's first or in more than one format within a column.
    func notes(for leaf: Leaf) -> [String] {
        var notes: [String] = []
        let prefix = leaf.specs.count > 1
        for (table, fields) in (repairs[leaf.index] ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (field, count) in fields.sorted(by: { $0.key < $1.key }) {
                notes.append("\(prefix ? table + "." : "")\(field): \(count) value\(count == 1 ? "" : "s") in Excel's number form (123.0) read as whole numbers")
            }
        }
        for (table, fields) in (dateFormats[leaf.index] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let spec = catalog.input(table)
            for (field, formats) in fields.sorted(by: { $0.key < $1.key }) {
                let name = (prefix ? table + "." : "") + field
                let expected = spec?.fields.first { $0.name == field }?.formats?.first
                let used = formats.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
                if used.count > 1 {
                    notes.append("\(name): dates in more than one format (" + used.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                                 + "); each read in its own format")
                } else if let only = used.first, only.key != expected {
                    notes.append("\(name): dates written as \(only.key)")
                }
            }
        }
        // A column with dates that read only month first (`04/25/2024`) was likely written month first
        // throughout: its dates that fit either way (`03/04/2024`) were read day first and may be wrong.
        for (table, fields) in (dateOrder[leaf.index] ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (field, counts) in fields.sorted(by: { $0.key < $1.key }) where counts.monthFirst > 0 {
                let name = (prefix ? table + "." : "") + field
                notes.append("\(name): ambiguous date order: \(counts.monthFirst) date\(counts.monthFirst == 1 ? "" : "s") read only month first (mm/dd/yyyy) and \(counts.monthFirst == 1 ? "was" : "were") quarantined; "
                             + "\(counts.ambiguous) that fit either way \(counts.ambiguous == 1 ? "was" : "were") read day first and may be wrong: check how the column was written")
            }
        }
        for (table, count) in (outOfProfile[leaf.index] ?? [:]).sorted(by: { $0.key < $1.key }) where count > 0 {
            notes.append("\(prefix ? table + ": " : "")\(count) valid row\(count == 1 ? "" : "s") not loaded: the \(catalog.profile.id) profile keeps no regional table \(count == 1 ? "it fills" : "they fill")")
        }
        return notes
    }

    /// Walks an input file on a reading thread and hands the wanted leaves' batches to `handle`.
    private func stream(_ file: String, wanted: [String: Leaf],
                        handle: (Leaf, InputSpec, [Record]) async throws -> Void) async throws -> BatchSink {
        // An XML leaf hands over a batch of every table it read at once (when one table's reach the batch
        // size), so the sink holds two rounds of them: the reader goes on reading while they are checked.
        // A file's leaves are read one after another, so the widest leaf sets it (a zip of CSVs: 4).
        let widest = wanted.values.map(\.specs.count).max() ?? 1
        let sink = BatchSink(capacity: max(4, 2 * widest))
        let limits = self.limits, batchSize = self.batchSize
        let tracker = ReadTracker(observer: observer, file: file, returnKey: key)
        let counter = tracker.counter
        let reader = Thread {
            do {
                try SourceWalker.walk(path: file, limits: limits, counter: counter) { opened in
                    guard let leaf = wanted[opened.source.path] else { return }
                    sink.markSeen(leaf.path)
                    try ReturnLoader.read(opened, leaf: leaf, batchSize: batchSize, limits: limits, into: sink)
                }
                sink.finish(nil)
            } catch {
                sink.finish(error)
            }
        }
        reader.start()
        do {
            while let batch = try await sink.next() {
                try await handle(batch.leaf, batch.spec, batch.records)
                tracker.add(rows: batch.records.count)
            }
            tracker.end()
        } catch {
            sink.cancel()
            // Let the reader stop before the caller rolls back.
            while !reader.isFinished { try? await Task.sleep(nanoseconds: 1_000_000) }
            throw error
        }
        return sink
    }

    /// Reads one leaf into the sink, batch by batch (on the reading thread).
    static func read(_ opened: OpenedSource, leaf: Leaf, batchSize: Int, limits: ExtractionLimits, into sink: BatchSink) throws {
        switch leaf.content {
        case .csv(let spec):
            let csv = try CSVReader(source: opened.source, encoding: opened.encoding, maxFieldBytes: limits.maxFieldBytes)
            guard let header = try csv.next() else { return }
            guard case .recognised(let match) = TableRecognizer(specs: [spec]).recognise(header: header.fields) else {
                throw RCCError(.format, "\(leaf.path): the header changed while it was being read")
            }
            let reader = TableReader(csv: csv, match: match, headerWidth: header.fields.count)
            while let records = try reader.nextBatch(size: batchSize) {
                try sink.put((leaf, spec, records))
            }
            sink.note(leaf.index, encoding: reader.encoding)
        case .xml(_, let specs):
            let reader = try XMLTableReader(source: opened.source, specs: specs)
            while let (spec, records) = try reader.nextBatch(size: batchSize) {
                try sink.put((leaf, spec, records))
            }
            for (table, count) in reader.emptyRowsByTable.sorted(by: { $0.key < $1.key }) {
                let element = reader.rowElement(of: table) ?? table
                sink.note(leaf.index, "\(table): \(count) empty <\(element)> element\(count == 1 ? "" : "s") (no value in any of its items) made no row")
            }
        case nil:
            return
        }
    }

    /// What the transform step makes of one validated batch: rows for the regional tables, and the
    /// batch's quarantine reasons and findings, each with the child's pseudonym.
    struct Transformed: Sendable {
        var rows: [RowBatch] = []
        var quarantine: [(diagnostic: Diagnostic, child: String?)] = []
        var findings: [(diagnostic: Diagnostic, child: String?)] = []
    }

    /// Validate: checks a batch, counts what was read and repaired, writes quarantined rows (as sent)
    /// to the run's private folder and tallies why. Loaded rows' keys and looked-up fields are kept in
    /// the return's context for the tables that follow.
    func validate(_ records: [Record], spec: InputSpec, leaf: Leaf, summary: inout [RunSummary.Source]) throws -> ValidationResult {
        let result = try validator(spec).validate(records, source: leaf.path, context: context, aggregates: aggregates())
        for (field, count) in result.excelRepairs { repairs[leaf.index, default: [:]][spec.id, default: [:]][field, default: 0] += count }
        for (field, formats) in result.dateFormats {
            for (format, count) in formats {
                dateFormats[leaf.index, default: [:]][spec.id, default: [:]][field, default: [:]][format, default: 0] += count
            }
        }
        for (field, count) in result.ambiguousDates {
            dateOrder[leaf.index, default: [:]][spec.id, default: [:]][field, default: (0, 0)].ambiguous += count
        }
        for (field, count) in result.monthFirstDates {
            dateOrder[leaf.index, default: [:]][spec.id, default: [:]][field, default: (0, 0)].monthFirst += count
        }
        if !result.quarantined.isEmpty {
            try quarantine.write(result.quarantined, spec: spec, source: leaf.path)
            for row in result.quarantined {
                for d in row.diagnostics where d.action == .quarantine {
                    let id = d.ruleID + "|" + (d.location.field ?? "")
                    reasons[leaf.index, default: [:]][id, default: RunSummary.Reason(
                        rule: d.ruleID, dfe: d.dfeCode, field: d.location.field, message: d.message, count: 0)].count += 1
                }
            }
        }
        var source = summary[leaf.index]
        source.rowsRead += records.count
        source.rowsQuarantined += result.quarantined.count
        source.findings += result.findings.count
        if case .xml = leaf.content {
            if let i = source.tables.firstIndex(where: { $0.table == spec.id }) {
                source.tables[i].rowsRead += records.count
                source.tables[i].rowsQuarantined += result.quarantined.count
            } else {
                source.tables.append(RunSummary.TableCount(table: spec.id, rowsRead: records.count, rowsLoaded: 0,
                                                           rowsQuarantined: result.quarantined.count))
            }
        }
        summary[leaf.index] = source
        return result
    }

    /// Transform: maps a validated batch to the regional tables the profile keeps, pseudonymising and
    /// coarsening, and pseudonymises the child of each quarantine reason and finding. `register` puts the
    /// batch's rows into the return's context first: for a transform run apart from its validation.
    func transform(_ result: ValidationResult, spec: InputSpec, leaf: Leaf, summary: inout [RunSummary.Source],
                   register: Bool = false) throws -> Transformed {
        try prepare(result, spec: spec, leaf: leaf, summary: &summary, register: register).run()
    }

    /// The part of transform that reads the return's context and this loader's tallies, on the task
    /// that validates: the other tables' fields the mappings read, the children of quarantined rows,
    /// the counts of loaded rows. What is left (`TransformJob.run`: mapping, pseudonyms, the sequence
    /// rules' rows) reads nothing the next batch's validation writes, so it runs beside it.
    func prepare(_ result: ValidationResult, spec: InputSpec, leaf: Leaf, summary: inout [RunSummary.Source],
                 register: Bool = false) throws -> TransformJob {
        if register { try validator(spec).register(result.valid, context: context) }
        let tableMappers = try mappers(spec)
        let childMapper = tableMappers.first
        var quarantine: [(diagnostic: Diagnostic, child: String?)] = []
        for row in result.quarantined {
            let child = childMapper?.childPseudonym(row.record, context: context)
            quarantine += row.diagnostics.filter { $0.action == .quarantine }.map { (diagnostic: $0, child: child) }
        }
        // Rows the table's sequence rules read later, child by child (only for tables the profile loads:
        // the child's pseudonym groups them).
        let sequence = childMapper == nil ? nil : try sequences().flatMap { sequences in
            sequences.plan.indexes[spec.id].map { (store: sequences.store, indexes: $0) }
        }
        var source = summary[leaf.index]
        let loaded = tableMappers.isEmpty ? 0 : result.valid.count
        if tableMappers.isEmpty {
            outOfProfile[leaf.index, default: [:]][spec.id, default: 0] += result.valid.count
        }
        source.rowsLoaded += loaded
        if case .xml = leaf.content, let i = source.tables.firstIndex(where: { $0.table == spec.id }) {
            source.tables[i].rowsLoaded += loaded
        }
        summary[leaf.index] = source
        return TransformJob(result: result, table: spec.id, source: leaf.path, leaf: leaf.index, mappers: tableMappers,
                            lookedUp: result.valid.isEmpty ? [] : tableMappers.map { $0.lookedUp(result.valid, context: context) },
                            quarantine: quarantine, sequence: sequence.map { TransformJob.SequenceRows(store: $0.store, indexes: $0.indexes) })
    }

    /// Load: hands a transformed batch to the open load.
    func deliver(_ transformed: Transformed, into tx: any LoadTransaction) async throws {
        try await Self.deliver(transformed, into: tx)
    }

    static func deliver(_ transformed: Transformed, into tx: any LoadTransaction) async throws {
        for batch in transformed.rows where !batch.rows.isEmpty { try await tx.insert(batch) }
        if !transformed.quarantine.isEmpty { try await tx.recordQuarantine(transformed.quarantine) }
        if !transformed.findings.isEmpty { try await tx.recordFindings(transformed.findings) }
    }

    /// The return's sequence rules and the store their rows go to; nil when it has none.
    private func sequences() throws -> (plan: SequenceRules.Plan, store: SequenceStore)? {
        if let known = sequencePlan { return known }
        let plan = try SequenceRules.Plan(catalog: catalog, collection: key.collection, year: key.year,
                                          available: context.references)
        guard !plan.isEmpty else { sequencePlan = .some(nil); return nil }
        let store = SequenceStore(folder: scratchFolder, width: plan.width)
        sequencePlan = (plan, store)
        return (plan, store)
    }

    /// The findings of the sequence rules, once every row of the return has been through transform:
    /// each child's rows of every table, through each table's rules, handed to `deliver` in batches, in order.
    func sequenceFindings(summary: inout [RunSummary.Source], deliver: (Transformed) throws -> Void) throws {
        guard let sequences = sequencePlan ?? nil else { return }
        let checker = SequenceChecker(plan: sequences.plan, period: CollectionPeriod(year: key.year), returned: sequences.store.tables,
                                      collection: key.collection, previous: context.previousYear, postcodes: context.postcodes)
        try Self.sequenceFindings(in: sequences.store, checker: checker, summary: &summary) { findings in
            var batch = Transformed()
            batch.findings = findings
            try deliver(batch)
        }
    }

    /// The same, into the open load: the rules run on a thread of their own, and their findings are
    /// loaded batch by batch as they come (a few batches wait at most), so a return with a finding for
    /// every child never holds them all.
    func sequenceFindings(into tx: any LoadTransaction, summary: inout [RunSummary.Source]) async throws {
        /// What the rules' thread is given: read only there while it runs.
        struct Job: @unchecked Sendable {
            let loader: ReturnLoader
            var summary: [RunSummary.Source]
        }
        final class Done: @unchecked Sendable { var summary: [RunSummary.Source] = [] }
        let handOver = HandOver<Transformed>(capacity: 4), done = Done()
        let job = Job(loader: self, summary: summary)
        let thread = Thread {
            var job = job
            do {
                try job.loader.sequenceFindings(summary: &job.summary) { try handOver.put($0) }
                done.summary = job.summary
                handOver.finish(nil)
            } catch {
                handOver.finish(error)
            }
        }
        thread.name = "rcc sequence rules"
        thread.start()
        do {
            while let batch = try await handOver.next() { try await Self.deliver(batch, into: tx) }
        } catch {
            handOver.cancel()
            // Let the rules' thread stop before the caller rolls back.
            while !thread.isFinished { try? await Task.sleep(nanoseconds: 1_000_000) }
            throw error
        }
        summary = done.summary
    }

    /// The findings of `checker`'s rules on the rows in `store`, each counted in `summary` (in the
    /// entry of the row's leaf): the children's in child order, then those of the rules over all children.
    ///
    /// Threading: this thread reads the store in order, `chunkSize` children at a time, and hands each
    /// chunk to `checker` on `workers` threads (none: this thread runs it), then records each chunk's
    /// findings on this thread in the order the chunks were read (`OrderedChunkWorkers`): the findings,
    /// their order and the counts are what one thread going child by child gives. A few chunks at most
    /// are out at once, so memory stays bounded. The rows the rules over all children read are kept on
    /// this thread, child by child, as they are read.
    ///
    /// The findings go to `deliver` in batches of `findingsBatch`, in order, as they are recorded. Once
    /// `deliver` throws (the load failed), no more go and the rules stop: no chunk is read from the store
    /// after it (the few already with the workers are checked, their findings dropped), and the error is rethrown.
    static func sequenceFindings(in store: SequenceStore, checker: SequenceChecker, workers: Int = sequenceWorkers,
                                 chunkSize: Int = sequenceChunkSize, summary: inout [RunSummary.Source],
                                 deliver: ([(diagnostic: Diagnostic, child: String?)]) throws -> Void) throws {
        var out: [(diagnostic: Diagnostic, child: String?)] = []
        var failure: (any Error)?
        func flush() {
            guard failure == nil, !out.isEmpty else { return }
            do { try deliver(out) } catch { failure = error }
            out.removeAll(keepingCapacity: true)
        }
        let plan = checker.plan
        // The rows the rules over all children together read (Header's, say), kept as the children go by:
        // a return's worth of them, so each keeps only its child, where it is (its source path once per
        // source, not once per row) and the cells its table keeps.
        let acrossTables = plan.acrossChildrenTables
        var across: [String: (rows: [(child: String, source: Int, row: Int, leaf: Int)], cells: [[String?]])] = [:]
        var sources: [String] = [], sourceIndex: [String: Int] = [:]
        func record(_ found: [SequenceChecker.Found]) {
            for finding in found {
                out.append((finding.diagnostic, finding.child))
                summary[finding.leaf].findings += 1
                if out.count == findingsBatch { flush() }
            }
        }
        let workers = OrderedChunkWorkers(workers: workers, window: 2 * workers + 1, niceness: sequenceWorkerNiceness) {
            checker.findings($0)
        }
        try store.forEachChunk(of: chunkSize) { chunk in
            if let failure { throw failure }
            if !acrossTables.isEmpty {
                for (child, range) in chunk.children {
                    for i in range where acrossTables.contains(chunk.rows[i].table) {
                        let row = chunk.rows[i]
                        let source = sourceIndex[row.source] ?? {
                            sources.append(row.source)
                            sourceIndex[row.source] = sources.count - 1
                            return sources.count - 1
                        }()
                        across[row.table, default: ([], [])].rows.append((child, source, row.row, row.leaf))
                        across[row.table]!.cells.append(Array(chunk.cells(of: i).prefix(plan.indexes[row.table]?.count ?? 0)))
                    }
                }
            }
            workers.submit(chunk, deliver: record)
        }
        workers.finish(deliver: record)
        if failure == nil, !across.isEmpty {
            for (rule, table, i) in plan.failingAcrossChildren(across.mapValues(\.cells), in: checker.period, returned: checker.returned) {
                let kept = across[table]!.rows[i]
                record([SequenceChecker.Found(diagnostic: checker.diagnostic(rule, table, source: sources[kept.source], row: kept.row),
                                              child: kept.child, leaf: kept.leaf)])
            }
        }
        flush()
        if let failure { throw failure }
    }

    /// Findings a batch, handed from the sequence rules to the load.
    static let findingsBatch = 4_096

    /// Children a chunk of the sequence rules' work: enough that handing a chunk to another thread is
    /// nothing beside running the rules on it, few enough that a chunk's rows are a small part of memory.
    static let sequenceChunkSize = 512

    /// How much the sequence rules' workers stand back (a nice value): while they run, SQLite builds a new
    /// table's indexes beside them on one thread (item 18 of the README's performance section), which ended
    /// about 3 s after them on one core at 2,000,000 rows, the other core idle. Standing back, they let
    /// the build have a core whenever it is ready to run and take what is left, so both end about together.
    static let sequenceWorkerNiceness: Int32 = 10

    /// Worker threads for the sequence rules: one a core (this thread mostly waits for them), none on a
    /// single core (this thread runs the rules itself, as it reads).
    static var sequenceWorkers: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return cores > 1 ? cores : 0
    }

    /// The return's aggregate rules; nil when it has none.
    private func aggregates() throws -> AggregateRules? {
        if let known = aggregateRules { return known }
        let rules = try AggregateRules(catalog: catalog, collection: key.collection, year: key.year, available: context.references)
        aggregateRules = .some(rules.isEmpty ? nil : rules)
        return rules.isEmpty ? nil : rules
    }

    /// The findings of the rules over the whole return, once every row of it has been validated: one for
    /// each rule its counts fail, with no row, no field's value and no child (`source` is empty: the whole
    /// return, not one of its files), each with the leaf and table it is told under (the first leaf
    /// holding the rule's table), counted in that leaf's findings.
    func aggregateFindings(_ leaves: [Leaf], summary: inout [RunSummary.Source]) -> [(leaf: Int, table: String, finding: Finding)] {
        guard let rules = aggregateRules ?? nil, let first = leaves.first else { return [] }
        return rules.failing(context: context).map { rule in
            let leaf = leaves.first { $0.specs.contains { $0.id == rule.table } }
            let (index, table) = leaf.map { ($0.index, rule.table) } ?? (first.index, first.specs.first?.id ?? rule.table)
            summary[index].findings += 1
            let diagnostic = Diagnostic(ruleID: rule.id, dfeCode: rule.dfe.map { "dfe.\(key.collection).\($0)" },
                                        severity: rule.severity, action: .finding, table: rule.table,
                                        location: SourceLocation(source: SourceLocation.wholeReturn, row: nil, field: rule.fields.first),
                                        message: rule.message)
            return (index, table, Finding(index: Finding.wholeReturn, diagnostic: diagnostic))
        }
    }

    private func validator(_ spec: InputSpec) throws -> TableValidator {
        if let cached = validators[spec.id] { return cached }
        let validator = try TableValidator(spec: spec, catalog: catalog, year: key.year, available: context.references)
        validators[spec.id] = validator
        return validator
    }

    private func mappers(_ spec: InputSpec) throws -> [RegionalMapper] {
        if let cached = mappers[spec.id] { return cached }
        guard let pseudonymiser else { throw RCCError(.usage, "transforming needs the pseudonymisation key") }
        let made = try catalog.mappings(from: spec.id).map {
            try RegionalMapper(mapping: $0, catalog: catalog, returnKey: key, pseudonymiser: pseudonymiser)
        }
        mappers[spec.id] = made
        return made
    }
}

/// The rest of transform for one validated batch, made by `ReturnLoader.prepare`: maps its valid rows to
/// the regional tables (pseudonymising and coarsening), gives its findings their child's pseudonym, and
/// adds the rows its table's sequence rules read to their store.
///
/// Threading: `run` reads only what the job holds, so it runs on another task while the loader
/// validates the next batch. The sequence rules' store is the one thing shared (hence `@unchecked`):
/// jobs run one at a time, in the order made (the loader awaits each before it starts the next), and
/// the store is read only once every job has run.
struct TransformJob: @unchecked Sendable {
    struct SequenceRows {
        let store: SequenceStore
        /// The cells of the table's rows the rules read.
        let indexes: [Int]
    }

    let result: ValidationResult
    let table: String
    let source: String
    let leaf: Int
    let mappers: [RegionalMapper]
    /// Per mapper, the other tables' fields it reads for the valid rows (`RegionalMapper.lookedUp`).
    let lookedUp: [[String?]]
    let quarantine: [(diagnostic: Diagnostic, child: String?)]
    let sequence: SequenceRows?

    func run() -> ReturnLoader.Transformed {
        var out = ReturnLoader.Transformed()
        out.quarantine = quarantine
        if !result.valid.isEmpty {
            out.rows = zip(mappers, lookedUp).map { $0.map(result.valid, lookedUp: $1) }
        }
        // The child's pseudonym, as the first mapping put it in the row (worked out again only when the
        // row holds none there).
        var children = [String?](repeating: nil, count: result.valid.count)
        if let first = mappers.first, let column = first.childColumn, let rows = out.rows.first?.rows {
            for (i, row) in rows.enumerated() {
                children[i] = if case .text(let pseudonym) = row[column] { pseudonym }
                    else { first.childPseudonym(result.valid[i], row: i, lookedUp: lookedUp[0]) }
            }
        }
        out.findings = result.findings.map { finding in
            (finding.diagnostic, finding.index == Finding.wholeReturn ? nil : children[finding.index])
        }
        if let sequence {
            for (i, record) in result.valid.enumerated() {
                guard let child = children[i] else { continue }
                sequence.store.add(child: child, table: table, source: source, row: record.row, leaf: leaf,
                                   cells: sequence.indexes.map { record.cells[$0] })
            }
        }
        return out
    }
}

/// Runs a return's sequence rules on a chunk of children, on any thread: what `sequenceFindings` hands to
/// its worker threads.
///
/// Safe to run on several threads at once. The plan and its compiled rules are immutable (`Sendable`,
/// checked by the compiler); each run keeps what it makes (the child's rows by table, their projections)
/// to itself. Last year's return and the postcode directory are classes the compiler cannot check
/// (hence `@unchecked`): both are filled before the return loads and only read from here on, and their
/// reads change nothing, but for last year's rows that spilled to a file, which look up under that file's
/// lock (`LookupStore`).
struct SequenceChecker: @unchecked Sendable {
    struct Found: Sendable {
        var diagnostic: Diagnostic
        var child: String
        /// The summary entry (leaf) of the source the row is from, whose findings it counts in.
        var leaf: Int
    }

    let plan: SequenceRules.Plan
    let period: CollectionPeriod
    let returned: Set<String>
    let collection: String
    let previous: PreviousReturn?
    let postcodes: PostcodeDirectory?

    /// Runners not in use, each made for a thread and handed to one chunk at a time.
    private let runners = Runners()

    /// The findings of each child of `chunk`, child after child, each child's in the order the plan gives them.
    ///
    /// A runner no other thread is using goes through the chunk's children: what it builds for a child (the
    /// rows by table, the rules' projections of them) it reuses for the next, and it holds its own copy of
    /// what the rules read, so threads running chunks at once share nothing they count references to.
    func findings(_ chunk: SequenceStore.Chunk) -> [Found] {
        let runner = runners.take() ?? SequenceRules.Runner(plan, period: period, returned: returned, previous: previous, postcodes: postcodes)
        defer { runners.give(runner) }
        // Each of the store's tables by its slot in the plan, once a chunk rather than a name looked up a row.
        let slots = chunk.tables.map { plan.slot(of: $0) }
        var out: [Found] = []
        chunk.cells.withUnsafeBufferPointer { cells in
            for (child, range) in chunk.children {
                for i in range {
                    if let slot = slots[chunk.rows[i].tableID] { runner.add(start: chunk.start(of: i), slot: slot, tag: i) }
                }
                runner.run(cells: cells) { rule, table, i in
                    let row = chunk.rows[i]
                    out.append(Found(diagnostic: diagnostic(rule, table, source: row.source, row: row.row), child: child, leaf: row.leaf))
                }
            }
        }
        return out
    }

    /// Runners not in use, under a lock: as many are made as threads ever run chunks at once (a runner is
    /// not cheap to make, and keeps its buffers from chunk to chunk). A runner is used by one thread at a
    /// time, and a thread takes or gives one back only with the lock held (hence `@unchecked`).
    private final class Runners: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [SequenceRules.Runner] = []

        func take() -> SequenceRules.Runner? { lock.withLock { idle.popLast() } }
        func give(_ runner: SequenceRules.Runner) { lock.withLock { idle.append(runner) } }
    }

    /// The finding of `rule` on a row of `table`.
    func diagnostic(_ rule: SequenceRules.Compiled, _ table: String, source: String, row: Int) -> Diagnostic {
        Diagnostic(ruleID: rule.spec.id, dfeCode: rule.spec.dfe.map { "dfe.\(collection).\($0)" },
                   severity: rule.spec.severity, action: .finding, table: table,
                   location: SourceLocation(source: source, row: row, field: rule.spec.fields.first),
                   message: rule.spec.message)
    }
}
