import Foundation
import RCCCore
import Validate

/// Writes quarantined rows, as read, to CSV files in the run's private folder (mode 0700, files
/// 0600) so the LA can correct and resend them. These files hold raw values; nothing else does.
final class QuarantineWriter {
    let folder: String
    private var handles: [String: FileHandle] = [:]

    init(folder: String) {
        self.folder = folder
    }

    deinit { for handle in handles.values { try? handle.close() } }

    func write(_ rows: [QuarantinedRecord], spec: InputSpec, source: String) throws {
        guard !rows.isEmpty else { return }
        let handle = try self.handle(for: spec)
        var text = ""
        for row in rows {
            let rules = row.diagnostics.filter { $0.action == .quarantine }
            let fields = rules.compactMap(\.location.field)
            let cells = [source, String(row.record.row), fields.joined(separator: ";"),
                         rules.map(\.ruleID).joined(separator: ";"), rules.map(\.message).joined(separator: " ")]
                + row.record.cells.map { $0 ?? "" }
            text += cells.map(QuarantineWriter.quote).joined(separator: ",") + "\r\n"
        }
        handle.write(Data(text.utf8))
    }

    /// The files written, by table.
    var files: [String] { handles.keys.sorted().map { path(for: $0) } }

    private func path(for table: String) -> String {
        (folder as NSString).appendingPathComponent("\(table).csv")
    }

    private func handle(for spec: InputSpec) throws -> FileHandle {
        if let handle = handles[spec.id] { return handle }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = path(for: spec.id)
        let header = (["source", "row", "fields", "rules", "reasons"] + spec.fields.map(\.name))
            .joined(separator: ",") + "\r\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(header.utf8),
                                             attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RCCError(.io, "cannot write quarantine file \(path)")
        }
        handle.seekToEndOfFile()
        handles[spec.id] = handle
        return handle
    }

    static func quote(_ text: String) -> String {
        // Bytes, not Characters: "\r\n" is a single Character and would slip past a Character test.
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
