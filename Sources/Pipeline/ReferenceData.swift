import Extract
import Foundation
import Logging
import RCCCore
import Validate

/// Data from outside the returns that some DfE rules need, given as `--reference DIR`:
///
///     DIR/previous-year/   earlier returns, as LAs sent them (CSV or XML, zipped or not), told apart the
///                          way inputs are: a folder named by the LA code, the year in a file or folder
///                          name, or a manifest.yaml (`DIR/previous-year/352/2024-25/…`)
///
/// A return's previous-year rules (`needs: [previous-year]`) run when DIR holds the same LA's return of
/// the same collection for the year before; otherwise they are counted as not run, with the reason. The
/// previous return is read as the return itself is (the same survey and extract code and input specs)
/// and only the fields the rules name are kept, per child, in the run's private work folder.
public final class ReferenceData {
    /// The folder given, or nil when none was.
    public let folder: String?
    let catalog: SchemaCatalog
    let limits: ExtractionLimits
    let batchSize: Int
    let logger: Logger
    private var surveyed: (leaves: [ReturnKey: [Leaf]], summary: RunSummary)?

    public static let previousYear = "previous-year"
    public static let postcodes = "postcodes"
    public static let ofsted = "ofsted"

    public init(folder: String?, catalog: SchemaCatalog, limits: ExtractionLimits = .default, batchSize: Int = 4096,
                logger: Logger) {
        self.folder = folder
        self.catalog = catalog
        self.limits = limits
        self.batchSize = batchSize
        self.logger = logger
    }

    var previousYearFolder: String? { folder.map { ($0 as NSString).appendingPathComponent(Self.previousYear) } }

    /// The previous year's return for `key`, read, or why there is none.
    func previousYear(for key: ReturnKey, runFolder: String) async -> (previous: PreviousReturn?, reason: String?) {
        guard let folder = previousYearFolder else { return (nil, "not supplied (give --reference DIR)") }
        let wanted = ReturnKey(la: key.la, collection: key.collection, year: key.year - 1)
        guard FileManager.default.isDirectory(folder) else {
            return (nil, "no previous return for \(wanted.la) \(wanted.collection) \(wanted.year): \(folder) is not a folder")
        }
        do {
            let (byKey, summary) = try survey(folder)
            let refused = (byKey[wanted] ?? []).filter { summary.sources[$0.index].rejected != nil }
            guard let leaves = byKey[wanted]?.filter({ summary.sources[$0.index].rejected == nil }), !leaves.isEmpty else {
                return (nil, "no previous return for \(wanted.la) \(wanted.collection) \(wanted.year) under \(folder)")
            }
            if !refused.isEmpty {
                return (nil, "the previous return \(wanted.la) \(wanted.collection) \(wanted.year) under \(folder) has a refused source: "
                             + refused.map { "\($0.path): \(summary.sources[$0.index].rejected!)" }.joined(separator: "; "))
            }
            let work = (runFolder as NSString).appendingPathComponent("work")
            let previous = PreviousReturn.forRules(of: catalog, checking: key, spillFolder: work)
            let reader = ReturnLoader(key: wanted, catalog: catalog, pseudonymiser: nil, runFolder: runFolder, limits: limits,
                                      batchSize: batchSize, logger: logger)
            var tables: [String: PreviousYearTable] = [:]
            var sources = summary.sources
            try await reader.extract(leaves, summary: &sources) { _, spec, records, _ in
                guard previous.tables.contains(spec.id) else { return }
                if tables[spec.id] == nil { tables[spec.id] = PreviousYearTable(spec: spec, catalog: self.catalog, year: wanted.year) }
                tables[spec.id]!.add(records, to: previous)
                if self.wantsPostcodes(of: key) { Self.collectPostcodes(records, spec: spec, fields: self.postcodeFields, into: &previous.postcodes) }
            }
            let read = previous.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            logger.info("\(key): previous return \(wanted) read from \(folder) (\(read.isEmpty ? "no rows the rules read" : "rows: " + read))")
            return (previous, nil)
        } catch {
            return (nil, "the previous return \(wanted.la) \(wanted.collection) \(wanted.year) under \(folder) could not be read: \(error)")
        }
    }

    // MARK: postcodes and Ofsted

    /// The return's fields whose postcodes the directory is searched for.
    var postcodeFields: [String] { (try? ReferenceSpec.load(Self.postcodes, root: catalog.root).returnFields) ?? nil ?? ["HOME_POST", "PL_POST"] }

    /// Whether rules of the return's collection and year read `kind`.
    func wants(_ kind: String, of key: ReturnKey) -> Bool {
        catalog.rules.contains {
            ($0.needs ?? []).contains(kind) && catalog.input($0.table)?.collection == key.collection && $0.isInForce(in: key.year)
        }
    }

    func wantsPostcodes(of key: ReturnKey) -> Bool { folder != nil && wants(Self.postcodes, of: key) }

    /// Adds the packed postcodes of `fields` in `records` to `keys`.
    static func collectPostcodes(_ records: [Record], spec: InputSpec, fields: [String], into keys: inout Set<UInt64>) {
        let indexes = fields.compactMap { spec.index(of: $0) }
        guard !indexes.isEmpty else { return }
        for record in records { for i in indexes { if let key = PostcodeDirectory.key(record.cells[i]) { keys.insert(key) } } }
    }

    /// Why `kind` is missing under DIR (nil when DIR holds CSV files of it).
    func missing(_ kind: String) -> String? { files(kind).reason }

    /// The CSV files of DIR/KIND, or why there are none.
    private func files(_ kind: String) -> (files: [String], reason: String?) {
        guard let folder else { return ([], "not supplied (give --reference DIR)") }
        let path = (folder as NSString).appendingPathComponent(kind)
        guard FileManager.default.isDirectory(path) else { return ([], "not supplied: \(path) is not a folder") }
        let found = ((try? InputDiscovery.files(in: [path])) ?? []).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
        return found.isEmpty ? ([], "not supplied: no .csv file under \(path)") : (found, nil)
    }

    /// Streams the CSV files of `kind`, giving each row by role (`schemas/reference/KIND.yaml`).
    private func read(_ kind: String, files: [String], each: ((String) -> String?) -> Void) throws {
        let spec = try ReferenceSpec.load(kind, root: catalog.root)
        for file in files {
            let reader = try CSVReader(source: try FileByteSource(path: file))
            guard var header = try reader.next()?.fields else { continue }
            if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
            let positions = try spec.positions(in: header, file: file)
            while let row = try reader.next() {
                guard row.problem == nil else { continue }
                let fields = row.fields
                each { role in
                    guard let i = positions[role], i < fields.count else { return nil }
                    let value = fields[i].trimmingCharacters(in: .whitespaces)
                    return value.isEmpty ? nil : value
                }
            }
        }
    }

    /// The directory's entries for the postcodes in `wanted`, or why there are none.
    func postcodes(wanted: Set<UInt64>) -> (PostcodeDirectory?, String?) {
        let (files, reason) = files(Self.postcodes)
        if let reason { return (nil, reason) }
        let directory = PostcodeDirectory(wanted: wanted)
        do {
            try read(Self.postcodes, files: files) { directory.add($0) }
        } catch {
            return (nil, "could not be read: \(error)")
        }
        logger.info("postcode directory: \(directory.rowsRead) rows read, \(directory.count) of the \(wanted.count) postcodes named found")
        return (directory, nil)
    }

    /// Ofsted's provider list, or why there is none.
    func providers() -> (ProviderList?, String?) {
        let (files, reason) = files(Self.ofsted)
        if let reason { return (nil, reason) }
        let list = ProviderList()
        do {
            try read(Self.ofsted, files: files) { list.add($0) }
        } catch {
            return (nil, "could not be read: \(error)")
        }
        logger.info("Ofsted provider list: \(list.count) providers")
        return (list, nil)
    }

    /// Surveys DIR/previous-year once, grouping its leaves by return.
    private func survey(_ folder: String) throws -> ([ReturnKey: [Leaf]], RunSummary) {
        if let surveyed { return (surveyed.leaves, surveyed.summary) }
        var summary = RunSummary(runID: "reference", startedAt: IngestRun.now(), warehouse: "", keyFingerprint: "",
                                 schemaVersion: catalog.version, profile: catalog.profile.id)
        let identity = ReturnIdentity(catalog: catalog, la: nil, year: nil, root: folder)
        let survey = SourceSurvey(catalog: catalog, identity: identity, limits: limits)
        var leaves: [Leaf] = []
        for file in try InputDiscovery.files(in: [folder]) {
            leaves += survey.survey(file: file, root: folder, summary: &summary)
        }
        let byKey = Dictionary(grouping: leaves.filter { $0.key != nil }, by: { $0.key! })
        surveyed = (byKey, summary)
        return (byKey, summary)
    }

    /// The DfE rules of the return's collection and year that need data from outside the return and do
    /// not run, counted by what they need and why (`previous-year: no previous return for …`); nil when none.
    /// `reasons` says, per kind of reference data, why it is missing; what it does not name was supplied.
    static func rulesNotRun(_ key: ReturnKey, catalog: SchemaCatalog, reasons: [String: String]) -> [String: Int]? {
        func why(_ needs: [String]) -> String {
            for need in needs.sorted() { if let reason = reasons[need] { return (needs.count > 1 ? "\(need) " : "") + reason } }
            return "not written yet"
        }
        var counts: [String: Int] = [:]
        for line in RuleCoverage.lines(catalog, collection: key.collection, year: key.year) {
            switch line.status {
            case .checkedWithReference(_, let needs):
                let missing = needs.filter { reasons[$0] != nil }
                if !missing.isEmpty { counts[needs.sorted().joined(separator: " and ") + ": " + why(needs), default: 0] += 1 }
            case .needsReference(let needs):
                counts[needs.sorted().joined(separator: " and ") + ": " + why(needs), default: 0] += 1
            default:
                break
            }
        }
        return counts.isEmpty ? nil : counts
    }
}
