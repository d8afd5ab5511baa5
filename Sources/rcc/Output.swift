import ArgumentParser
import Foundation
import Logging
import Pipeline
import RCCCore
import Synchronization

/// How rcc talks while it works: log lines on standard error (plain, or JSON for a server's log
/// collector), and a progress bar when standard error is a terminal. Nothing it says carries a value
/// read from a return: only paths, counts, rates and reasons.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct OutputOptions: ParsableArguments {
    @Flag(help: "Log only warnings and errors while running; no progress bar.")
    var quiet = false

    @Flag(help: "Log each source and return as it is done.")
    var verbose = false

    @Option(name: .customLong("log-format"), help: "text (default), or json: one JSON object per line, for a server's log collector.")
    var logFormat: LogFormat = .text

    var level: Logger.Level { quiet ? .warning : (verbose ? .info : .notice) }

    /// Sets up logging for this process and returns rcc's logger.
    func start() -> Logger { startLogging(level: level, format: logFormat) }

    /// A progress bar on a terminal; otherwise a log line per file read (none under --quiet).
    func observer(_ logger: Logger) -> (any ReadObserver)? {
        if quiet { return nil }
        if logFormat == .text && isatty(STDERR_FILENO) == 1 { return TerminalProgress() }
        return LogProgress(logger: logger, structured: logFormat == .json)
    }
}

/// Sets up logging for this process (once) and returns rcc's logger: plain lines or JSON objects on
/// standard error, from `level` up.
func startLogging(level: Logger.Level, format: LogFormat) -> Logger {
    LoggingSystem.bootstrap { label in
        switch format {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
    return Logger(label: "rcc")
}

/// One JSON object per line on standard error: `time`, `level`, `label`, `message` and the metadata.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()),
            "level": event.level.rawValue,
            "label": label,
            "message": event.message.description,
        ]
        var merged = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }
        merged.merge(event.metadata ?? [:]) { $1 }
        for (key, value) in merged where fields[key] == nil { fields[key] = Self.json(value) }
        guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c):
            // Numbers stay numbers (`rows`, `seconds`); a code such as an LA's is given as a string.
            if let n = c as? Int { return n }
            if let d = c as? Double { return d }
            return c.description
        case .array(let a): return a.map(json)
        case .dictionary(let d): return d.mapValues(json)
        }
    }
}

/// A line per file read, through the log: where, how much, how fast.
struct LogProgress: ReadObserver {
    let logger: Logger
    /// Whether the figures go into the record's fields too (JSON logs), not only its message.
    let structured: Bool

    func began(file: String, bytes: Int, returnKey: ReturnKey) {}
    func advanced(rows: Int, bytesRead: Int) {}

    func ended(file: String, returnKey: ReturnKey, rows: Int, bytesRead: Int, seconds: Double) {
        logger.notice("\(returnKey.la) \(returnKey.collection) \(returnKey.year): read \(file): \(Rate.count(rows)) row\(rows == 1 ? "" : "s"), \(Rate.bytes(bytesRead)) in \(Rate.seconds(seconds)) (\(Rate.perSecond(rows, seconds)) rows/s, \(Rate.bytes(Int(Double(bytesRead) / max(seconds, 0.001))))/s)",
                      metadata: structured ? ["file": "\(file)", "la": "\(returnKey.la)", "collection": "\(returnKey.collection)",
                                              "year": .stringConvertible(returnKey.year), "rows": .stringConvertible(rows),
                                              "bytes": .stringConvertible(bytesRead), "seconds": .stringConvertible((seconds * 1000).rounded() / 1000)] : nil)
    }
}

/// A bar redrawn in place on standard error while a file is read: the return, the file, how far
/// through it (bytes from disk), rows and bytes per second. Redrawn at most ten times a second.
final class TerminalProgress: ReadObserver {
    private struct State {
        var file = ""
        var label = ""
        var size = 0
        var started = Date()
        var lastDraw = Date.distantPast
    }
    private let state = Mutex(State())

    func began(file: String, bytes: Int, returnKey: ReturnKey) {
        state.withLock { s in
            s = State(file: file, label: "\(returnKey.la) \(returnKey.collection) \(returnKey.year)", size: bytes, started: Date())
        }
    }

    func advanced(rows: Int, bytesRead: Int) {
        let line: String? = state.withLock { s in
            let now = Date()
            guard now.timeIntervalSince(s.lastDraw) >= 0.1 else { return nil }
            s.lastDraw = now
            return Self.line(s, rows: rows, bytesRead: bytesRead, now: now)
        }
        if let line { draw(line) }
    }

    func ended(file: String, returnKey: ReturnKey, rows: Int, bytesRead: Int, seconds: Double) {
        draw("")
    }

    private func draw(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    private static func line(_ s: State, rows: Int, bytesRead: Int, now: Date) -> String {
        let seconds = now.timeIntervalSince(s.started)
        let fraction = s.size > 0 ? min(1, Double(bytesRead) / Double(s.size)) : 0
        let width = 20
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let name = (s.file as NSString).lastPathComponent
        let shown = name.count > 28 ? "…" + name.suffix(27) : name
        return "\(s.label) \(shown) \(bar) \(Int(fraction * 100))%  \(Rate.count(rows)) rows  \(Rate.perSecond(rows, seconds)) rows/s  \(Rate.bytes(Int(Double(bytesRead) / max(seconds, 0.001))))/s"
    }
}

/// Numbers as people read them.
enum Rate {
    static func count(_ n: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_GB")
        return formatter.string(from: NSNumber(value: n)) ?? String(n)
    }

    static func perSecond(_ n: Int, _ seconds: Double) -> String { count(Int(Double(n) / max(seconds, 0.001))) }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(n), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: value >= 100 ? "%.0f" : "%.1f", value) + " " + units[unit]
    }

    static func seconds(_ s: Double) -> String { s < 10 ? String(format: "%.2f s", s) : String(format: "%.0f s", s) }
}
