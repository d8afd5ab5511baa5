import Extract
import Foundation
import Load
import Logging
import RCCCore
import Reports
import Transform

/// What became of one inbox entry.
public struct InboxOutcome: Sendable {
    public enum Status: String, Sendable {
        /// Every return loaded (or was unchanged), every row loaded.
        case loaded
        /// Every return loaded (or was unchanged), with some rows quarantined.
        case quarantined
        /// A return or source was refused (any other returns of the entry may have loaded).
        case failed
    }

    /// The entry's name in the inbox.
    public var name: String
    public var status: Status
    /// Where it went, relative to the inbox: `done/2025-11-24/352-2025`.
    public var destination: String
    /// Beside a failed entry, relative to the inbox: `failed/2025-11-24/NAME.reason.txt`.
    public var reasonFile: String?
    /// Beside a read entry, relative to the inbox: `done/2025-11-24/NAME.summary.json`.
    public var summaryFile: String?
    /// Why it failed, one reason per line (never a value).
    public var why: [String]
    /// The ingest run's summary; nil when the entry was not read.
    public var summary: RunSummary?
    /// The run's private folder (quarantined rows as sent, the summary).
    public var runFolder: String?
    /// Whether a pass had been stopped while working on this entry before.
    public var retried: Bool
}

/// One pass over an inbox, with its lock held: every interrupted and every complete entry is moved
/// (by rename) into `processing/`, ingested as a run of its own (one bad return never affects another
/// entry), and moved to `done/YYYY-MM-DD/` or `failed/YYYY-MM-DD/` (the local date; a name already
/// there gets a suffix, `NAME.2`, never overwriting), with `NAME.summary.json` beside it and, for a
/// failed one, `NAME.reason.txt` saying why and what to do.
///
/// An entry found in `processing/` when a pass starts was being worked on by a pass that was stopped
/// (killed, the machine restarted, rcc crashed). A load is all or nothing and a return already loaded
/// comes back `unchanged`, so such an entry is simply tried once more; if a pass is stopped on it a
/// second time it goes to `failed/` with a reason instead, so one return that brings rcc down cannot
/// hold up the inbox for ever. The attempts are counted in `processing/.NAME.attempts`.
///
/// If the warehouse itself fails (it cannot be prepared, or stops answering during a load), the entry
/// goes back to the inbox (when its name is free there) and the pass stops with the error: that is not
/// the return's fault, and the next pass tries again.
public final class InboxPass {
    let inbox: String
    let catalog: SchemaCatalog
    let key: PseudonymKey
    let limits: ExtractionLimits
    /// The reference data folder (rcc.yaml's `reference:`): last year's returns for the rules comparing with them.
    public var reference: String?
    let runsFolder: String
    let makeRunID: @Sendable () -> String
    let logger: Logger
    let now: @Sendable () -> Date
    let laNames: [String: String]

    public init(inbox: String, catalog: SchemaCatalog, key: PseudonymKey, limits: ExtractionLimits, runsFolder: String,
                makeRunID: @escaping @Sendable () -> String, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.inbox = inbox
        self.catalog = catalog
        self.key = key
        self.limits = limits
        self.runsFolder = runsFolder
        self.makeRunID = makeRunID
        self.logger = logger
        self.now = now
        laNames = Dictionary(uniqueKeysWithValues: (catalog.codeLists["la"]?.codes ?? []).map { ($0.code, $0.label) })
    }

    var processing: String { path(InboxLayout.processing) }
    func path(_ relative: String) -> String { (inbox as NSString).appendingPathComponent(relative) }

    /// Processes what `survey` found, interrupted entries first, calling `report` as each is done.
    /// Throws (after putting the entry in hand back) when the warehouse fails or the inbox cannot be worked in.
    @discardableResult
    public func process(_ survey: InboxSurvey, warehouse: any Warehouse,
                        report: (InboxOutcome) -> Void = { _ in }) async throws -> [InboxOutcome] {
        var outcomes: [InboxOutcome] = []
        if !survey.isEmpty { try makeFolder(processing) }
        for entry in survey.interrupted {
            let attempts = self.attempts(entry.name)
            let outcome: InboxOutcome
            if attempts >= 2 {
                outcome = try finish(entry.name, original: entry.name, summary: nil, runFolder: nil, retried: true, why: [
                    "two passes were stopped while working on it (rcc killed, the machine restarted, or rcc crashed on it), so it was not tried a third time",
                ])
            } else {
                logger.notice("\(entry.name): a pass was stopped while working on it; trying it again")
                outcome = try await ingest(entry, in: entry.name, attempts: attempts + 1, retried: true, warehouse: warehouse)
            }
            outcomes.append(outcome)
            report(outcome)
        }
        for entry in survey.ready {
            let source = path(entry.name)
            guard InboxScan.status(of: source) != nil else { continue }   // taken away meanwhile
            let name = try freeName(for: entry.name, in: processing)
            try move(source, to: (processing as NSString).appendingPathComponent(name))
            let outcome = try await ingest(entry, in: name, attempts: 1, retried: false, warehouse: warehouse)
            outcomes.append(outcome)
            report(outcome)
        }
        return outcomes
    }

    // MARK: One entry

    private func ingest(_ entry: InboxEntry, in name: String, attempts: Int, retried: Bool,
                        warehouse: any Warehouse) async throws -> InboxOutcome {
        let here = (processing as NSString).appendingPathComponent(name)
        if case .unreadable(let what) = entry.kind {
            return try finish(name, original: entry.name, summary: nil, runFolder: nil, retried: retried, why: [
                "it is \(what), not a file or folder: rcc reads only the return itself, so put the file or folder in the inbox",
            ])
        }
        setAttempts(name, attempts)

        var runID = makeRunID()
        while FileManager.default.fileExists(atPath: (runsFolder as NSString).appendingPathComponent(runID)) { runID = makeRunID() }
        let runFolder = (runsFolder as NSString).appendingPathComponent(runID)
        let summary: RunSummary
        do {
            try FileManager.default.createDirectory(atPath: runFolder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let options = IngestOptions(inputs: [here], runFolder: runFolder, limits: limits, identityRoot: processing,
                                        reference: reference)
            summary = try await IngestRun(options: options, catalog: catalog, key: key, warehouse: warehouse,
                                          runID: runID, logger: logger).run()
        } catch {
            let back = putBack(name, original: entry.name)
            throw RCCError((error as? RCCError)?.code ?? .warehouse, "\(error) (while loading \(entry.name); \(back))")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        _ = FileManager.default.createFile(atPath: (runFolder as NSString).appendingPathComponent("summary.json"),
                                           contents: try encoder.encode(summary))

        // A load that failed (not a refusal) may be the warehouse going away: then it is not the return's fault.
        if summary.returns.contains(where: { $0.status == .rejected && $0.reason?.hasPrefix("not loaded: ") == true }) {
            do {
                _ = try await warehouse.currentLoad(of: summary.returns[0].key)
            } catch {
                let back = putBack(name, original: entry.name)
                throw RCCError(.warehouse, "the warehouse stopped answering while loading \(entry.name): \(error) (\(back))")
            }
        }
        return try finish(name, original: entry.name, summary: summary, runFolder: runFolder, retried: retried,
                          why: Self.reasons(summary))
    }

    /// Why a run's entry failed, one line per refused source or return; empty when nothing was refused.
    static func reasons(_ summary: RunSummary) -> [String] {
        if summary.sources.isEmpty {
            return ["there is nothing in it to read (no files besides \(InboxLayout.readyMarker) and manifests)"]
        }
        let refused = summary.sources.filter { $0.rejected != nil }
        var lines = refused.map { "\($0.path): \($0.rejected!)" }
        for ret in summary.returns where ret.status == .rejected
            && !refused.contains(where: { $0.la == ret.la && $0.year == ret.year && $0.collection == ret.collection }) {
            lines.append("return LA \(ret.la) \(ret.collection) \(ret.year): \(ret.reason ?? "not loaded")")
        }
        return lines
    }

    /// Moves an entry out of `processing/` to `done/` or `failed/`, with its summary and reason beside it.
    private func finish(_ name: String, original: String, summary: RunSummary?, runFolder: String?, retried: Bool,
                        why: [String]) throws -> InboxOutcome {
        let status: InboxOutcome.Status = !why.isEmpty ? .failed : (summary?.anyQuarantined == true ? .quarantined : .loaded)
        let date = Self.localDate(now())
        let folder = (status == .failed ? InboxLayout.failed : InboxLayout.done) + "/" + date
        try makeFolder(path(folder))
        let finalName = try freeName(for: original, in: path(folder), sideFiles: true)
        let destination = folder + "/" + finalName
        try move((processing as NSString).appendingPathComponent(name), to: path(destination))
        removeAttempts(name)

        var outcome = InboxOutcome(name: original, status: status, destination: destination, why: why, summary: summary,
                                   runFolder: runFolder, retried: retried)
        if let summary {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            outcome.summaryFile = destination + ".summary.json"
            try write(try encoder.encode(summary), to: outcome.summaryFile!)
        }
        if status == .failed {
            outcome.reasonFile = destination + ".reason.txt"
            try write(Data(reasonText(outcome).utf8), to: outcome.reasonFile!)
        }
        return outcome
    }

    /// The reason file of a failed entry: what failed, why, what loaded, what to do, and the run's summary.
    func reasonText(_ outcome: InboxOutcome) -> String {
        var lines: [String] = []
        let stamp = ISO8601DateFormatter.string(from: now(), timeZone: .current, formatOptions: [.withInternetDateTime])
        lines.append("rcc inbox: \(outcome.name) failed (\(stamp)\(outcome.summary.map { ", run \($0.runID)" } ?? "")).")
        lines.append("")
        lines.append("Why:")
        lines += outcome.why.map { "  " + $0 }
        lines.append("")
        if let summary = outcome.summary {
            let loaded = summary.returns.filter { $0.status != .rejected }
            if loaded.isEmpty {
                lines.append("Nothing of it was loaded. Any earlier version of its returns stays current in the warehouse.")
            } else {
                lines.append("Returns of it that did load (the others were not loaded; their earlier versions, if any, stay current):")
                for ret in loaded {
                    lines.append("  LA \(ret.la) \(ret.collection) \(ret.year): \(ret.status == .loaded ? "loaded as load \(ret.loadID ?? 0)" : "unchanged (load \(ret.loadID ?? 0))")")
                }
            }
        } else {
            lines.append("It was not read in this pass. Loads are all or nothing: the warehouse's loads table shows whether a return of it loaded before.")
        }
        lines.append("")
        lines.append("What to do: correct it, or ask the LA for a corrected return, and put it in the inbox again (a folder with a "
            + "\(InboxLayout.readyMarker) file in it, or a single file). To try it again as it is, move it back into the inbox; "
            + "returns of it that already loaded will say \"unchanged\".")
        if let summary = outcome.summary {
            lines.append("")
            lines.append("The run's summary (as JSON beside this file\(outcome.runFolder.map { ", and in \($0)" } ?? "")):")
            lines.append("")
            lines.append(SummaryText.render(summary, laNames: laNames))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Files

    /// Puts an entry back from `processing/` into the inbox when its name is free there; says where it is.
    private func putBack(_ name: String, original: String) -> String {
        removeAttempts(name)
        let from = (processing as NSString).appendingPathComponent(name)
        if InboxScan.status(of: path(original)) == nil, rename(from, path(original)) == 0 {
            return "it is back in the inbox for the next pass"
        }
        return "it stays in \(InboxLayout.processing)/ for the next pass"
    }

    private func attemptsFile(_ name: String) -> String { (processing as NSString).appendingPathComponent(".\(name).attempts") }

    /// How many passes started on an entry in `processing/` (one, when the count was never written).
    private func attempts(_ name: String) -> Int {
        guard let data = FileManager.default.contents(atPath: attemptsFile(name)),
              let count = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return 1 }
        return count
    }

    private func setAttempts(_ name: String, _ count: Int) {
        _ = FileManager.default.createFile(atPath: attemptsFile(name), contents: Data("\(count)\n".utf8))
    }

    private func removeAttempts(_ name: String) { unlink(attemptsFile(name)) }

    /// `name`, or `name` with a suffix before its extensions (`x.2.csv`, `folder.2`), free in `folder`
    /// (and, with `sideFiles`, with no `.reason.txt` or `.summary.json` of that name either).
    func freeName(for name: String, in folder: String, sideFiles: Bool = false) throws -> String {
        func taken(_ candidate: String) -> Bool {
            let base = (folder as NSString).appendingPathComponent(candidate)
            return InboxScan.status(of: base) != nil
                || (sideFiles && (InboxScan.status(of: base + ".reason.txt") != nil || InboxScan.status(of: base + ".summary.json") != nil))
        }
        if !taken(name) { return name }
        // Keep extensions (`.csv.gz`) at the end; a leading dot is not an extension.
        let cut = name.dropFirst().firstIndex(of: ".") ?? name.endIndex
        let stem = name[..<cut], extensions = name[cut...]
        for n in 2...10_000 {
            let candidate = "\(stem).\(n)\(extensions)"
            if !taken(candidate) { return candidate }
        }
        throw RCCError(.io, "no free name for \(name) in \(folder)")
    }

    private func move(_ from: String, to destination: String) throws {
        guard rename(from, destination) == 0 else {
            let error = errno
            let hint = error == EXDEV ? " (it is on another filesystem: processing/, done/ and failed/ must be folders of the inbox itself)" : ""
            throw RCCError(.io, "cannot move \(from) to \(destination): \(String(cString: strerror(error)))\(hint)")
        }
    }

    private func makeFolder(_ folder: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw RCCError(.io, "\(folder) is in the way: rcc inbox keeps a folder of that name") }
            return
        }
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw RCCError(.io, "cannot create \(folder): \(error.localizedDescription)")
        }
    }

    private func write(_ data: Data, to relative: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path(relative)), options: .atomic) } catch {
            throw RCCError(.io, "cannot write \(path(relative)): \(error.localizedDescription)")
        }
    }

    /// The local date, `2025-11-24`, naming the day's folders in `done/` and `failed/`.
    static func localDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

extension RunSummary.Return {
    var key: ReturnKey { ReturnKey(la: la, collection: collection, year: year) }
}
