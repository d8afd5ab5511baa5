import Foundation
import RCCCore
import Validate

/// The files stages hand each other through a work folder: a stream of frames, each a batch, in a
/// small length-prefixed binary form (read back exactly; no quoting rules, no number parsing). Written
/// through a buffer and read through one, so a return of any size streams in constant memory.
///
/// Files are created mode 0600: the extract and validate files hold raw values.
final class WorkFileWriter {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw RCCError(.io, "cannot create the work file \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 16)
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func spill() throws { if buffer.count >= 1 << 16 { try flush() } }

    func int(_ value: Int) {
        // Zig-zag varint: small numbers (row numbers, counts) take a byte or two.
        var v = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        while v >= 0x80 {
            buffer.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }

    func string(_ value: String) {
        int(value.utf8.count)
        buffer.append(contentsOf: value.utf8)
    }

    func optional(_ value: String?) {
        if let value {
            buffer.append(1)
            string(value)
        } else {
            buffer.append(0)
        }
    }

    func record(_ record: Record) {
        int(record.row)
        optional(record.problem)
        int(record.cells.count)
        for cell in record.cells { optional(cell) }
    }

    func diagnostic(_ d: Diagnostic) {
        string(d.ruleID)
        optional(d.dfeCode)
        string(d.severity.rawValue)
        string(d.action.rawValue)
        string(d.table)
        string(d.location.source)
        int(d.location.row ?? -1)
        optional(d.location.field)
        string(d.message)
    }

    func value(_ value: SQLValue) {
        switch value {
        case .null: buffer.append(0)
        case .integer(let n): buffer.append(1); int(n)
        case .text(let s): buffer.append(2); string(s)
        }
    }

    /// Ends a frame: writes out the buffer once it is large.
    func endFrame() throws { try spill() }
}

final class WorkFileReader {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RCCError(.io, "cannot read the work file \(path): run the stage before this one")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    private func fill(_ count: Int) throws {
        while buffer.count - position < count {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            guard !atEnd, let data = try handle.read(upToCount: max(1 << 16, count)), !data.isEmpty else {
                atEnd = true
                throw RCCError(.format, "\(path) ends in the middle of a batch: run the stage that writes it again")
            }
            buffer.append(contentsOf: data)
        }
    }

    /// Whether another frame follows.
    func hasMore() throws -> Bool {
        if position < buffer.count { return true }
        do { try fill(1) } catch { return false }
        return true
    }

    func byte() throws -> UInt8 {
        try fill(1)
        defer { position += 1 }
        return buffer[position]
    }

    func int() throws -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
            guard shift < 64 else { throw RCCError(.format, "\(path) is damaged (a number runs on)") }
        }
        let n = Int64(bitPattern: result)
        return Int((n >> 1) ^ -(n & 1))
    }

    func string() throws -> String {
        let count = try int()
        guard count >= 0 else { throw RCCError(.format, "\(path) is damaged (a negative length)") }
        try fill(count)
        defer { position += count }
        return String(decoding: buffer[position..<position + count], as: UTF8.self)
    }

    func optional() throws -> String? {
        try byte() == 0 ? nil : try string()
    }

    func record() throws -> Record {
        let row = try int()
        let problem = try optional()
        let count = try int()
        var cells: [String?] = []
        cells.reserveCapacity(count)
        for _ in 0..<count { cells.append(try optional()) }
        return Record(row: row, cells: cells, problem: problem)
    }

    func diagnostic() throws -> Diagnostic {
        let rule = try string(), dfe = try optional()
        guard let severity = Diagnostic.Severity(rawValue: try string()),
              let action = Diagnostic.Action(rawValue: try string()) else {
            throw RCCError(.format, "\(path) is damaged (an unknown severity or action)")
        }
        let table = try string(), source = try string(), row = try int(), field = try optional(), message = try string()
        return Diagnostic(ruleID: rule, dfeCode: dfe, severity: severity, action: action, table: table,
                          location: SourceLocation(source: source, row: row < 0 ? nil : row, field: field), message: message)
    }

    func value() throws -> SQLValue {
        switch try byte() {
        case 0: return .null
        case 1: return .integer(try int())
        case 2: return .text(try string())
        default: throw RCCError(.format, "\(path) is damaged (an unknown value kind)")
        }
    }
}

/// The frames of each stage's file.
enum WorkFrames {
    /// extract → validate: a batch of records of one table of one leaf, as read.
    static func writeRecords(_ w: WorkFileWriter, leaf: Int, table: String, _ records: [Record]) throws {
        w.int(leaf)
        w.string(table)
        w.int(records.count)
        for record in records { w.record(record) }
        try w.endFrame()
    }

    static func readRecords(_ r: WorkFileReader) throws -> (leaf: Int, table: String, records: [Record]) {
        let leaf = try r.int(), table = try r.string(), count = try r.int()
        var records: [Record] = []
        records.reserveCapacity(count)
        for _ in 0..<count { records.append(try r.record()) }
        return (leaf, table, records)
    }

    /// validate → transform: a validated batch (rows to load, their findings, rows quarantined and why).
    static func writeValidated(_ w: WorkFileWriter, leaf: Int, table: String, _ result: ValidationResult) throws {
        w.int(leaf)
        w.string(table)
        w.int(result.valid.count)
        for record in result.valid { w.record(record) }
        w.int(result.findings.count)
        for finding in result.findings {
            w.int(finding.index)
            w.diagnostic(finding.diagnostic)
        }
        w.int(result.quarantined.count)
        for row in result.quarantined {
            w.record(row.record)
            w.int(row.diagnostics.count)
            for d in row.diagnostics { w.diagnostic(d) }
        }
        try w.endFrame()
    }

    static func readValidated(_ r: WorkFileReader) throws -> (leaf: Int, table: String, result: ValidationResult) {
        let leaf = try r.int(), table = try r.string()
        var result = ValidationResult()
        for _ in 0..<(try r.int()) { result.valid.append(try r.record()) }
        for _ in 0..<(try r.int()) {
            let index = try r.int()
            result.findings.append(Finding(index: index, diagnostic: try r.diagnostic()))
        }
        for _ in 0..<(try r.int()) {
            let record = try r.record()
            var diagnostics: [Diagnostic] = []
            for _ in 0..<(try r.int()) { diagnostics.append(try r.diagnostic()) }
            result.quarantined.append(QuarantinedRecord(record: record, diagnostics: diagnostics))
        }
        return (leaf, table, result)
    }

    /// transform → load: a batch's regional rows (pseudonymised, coarsened), quarantine reasons and
    /// findings with the child's pseudonym. No raw value.
    static func writeTransformed(_ w: WorkFileWriter, _ t: ReturnLoader.Transformed) throws {
        w.int(t.rows.count)
        for batch in t.rows {
            w.string(batch.table.table)
            w.int(batch.rows.count)
            w.int(batch.table.columns.count)
            for row in batch.rows { for value in row { w.value(value) } }
        }
        for list in [t.quarantine, t.findings] {
            w.int(list.count)
            for (d, child) in list {
                w.diagnostic(d)
                w.optional(child)
            }
        }
        try w.endFrame()
    }

    static func readTransformed(_ r: WorkFileReader, catalog: SchemaCatalog) throws -> ReturnLoader.Transformed {
        var t = ReturnLoader.Transformed()
        for _ in 0..<(try r.int()) {
            let name = try r.string(), count = try r.int(), width = try r.int()
            guard let table = catalog.regionalTable(name), table.columns.count == width else {
                throw RCCError(.usage, "\(r.path) holds rows for \(name) that the schema and profile of this run do not have as written: run transform again with them")
            }
            var rows: [[SQLValue]] = []
            rows.reserveCapacity(count)
            for _ in 0..<count {
                var row: [SQLValue] = []
                row.reserveCapacity(width)
                for _ in 0..<width { row.append(try r.value()) }
                rows.append(row)
            }
            t.rows.append(RowBatch(table: table, rows: rows))
        }
        for _ in 0..<(try r.int()) { t.quarantine.append((try r.diagnostic(), try r.optional())) }
        for _ in 0..<(try r.int()) { t.findings.append((try r.diagnostic(), try r.optional())) }
        return t
    }
}
