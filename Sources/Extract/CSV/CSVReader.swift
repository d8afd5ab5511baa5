import RCCCore

/// One record of a delimited file.
public struct CSVRow: Sendable {
    /// The row number a spreadsheet shows for this record (the first line is row 1; blank lines count).
    public var row: Int
    public var fields: [String]
    /// Why the record may not have been read as written (a quote left open at the end of the file).
    public var problem: String?
}

/// A streaming RFC 4180 reader over bytes: quoted fields with embedded delimiters, doubled quotes
/// and line breaks; CRLF, LF or CR line ends; the delimiter sniffed from the first record among
/// comma, tab, semicolon and pipe. Blank lines and rows of nothing but delimiters are skipped.
///
/// Fields are decoded as UTF-8; a file whose bytes are not UTF-8 is read as Windows-1252 from the
/// first such field on, and `encoding` says so.
public final class CSVReader {
    public private(set) var delimiter: UInt8
    public private(set) var encoding: String
    public var path: String { source.path }

    private let source: PeekableSource
    private let buffer: UnsafeMutableRawBufferPointer
    private var position = 0
    private var end = 0
    private var ended = false
    private var nextRowNumber = 1
    private var skipLineFeed = false
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var windows1252 = false

    public static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// - Parameters:
    ///   - encoding: the encoding the source was opened as (reported back, or `Windows-1252`).
    ///   - delimiter: a fixed delimiter, or nil to sniff it from the first record.
    /// The longest field accepted, in bytes; a longer one refuses the source (a runaway quote, or not a table).
    public let maxFieldBytes: Int
    public static let defaultMaxFieldBytes = 1 << 20

    public init(source: ByteSource, encoding: String = "UTF-8", delimiter: UInt8? = nil, bufferSize: Int = 1 << 20,
                maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes) throws {
        self.maxFieldBytes = maxFieldBytes
        let peekable = (source as? PeekableSource) ?? PeekableSource(source)
        self.source = peekable
        self.encoding = encoding
        self.buffer = .allocate(byteCount: bufferSize, alignment: 16)
        if let delimiter {
            self.delimiter = delimiter
        } else {
            self.delimiter = CSVReader.sniffDelimiter(try peekable.peek(1 << 16))
        }
        field.reserveCapacity(256)
    }

    deinit { buffer.deallocate() }

    /// The delimiter that occurs most often outside quotes on the first line; comma when none does.
    public static func sniffDelimiter(_ head: [UInt8]) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidateDelimiters.count)
        var quoted = false
        for byte in head {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if byte == 0x0A || byte == 0x0D { break }
            if let i = candidateDelimiters.firstIndex(of: byte) { counts[i] += 1 }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] }!
        return counts[best] > 0 ? candidateDelimiters[best] : UInt8(ascii: ",")
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The next record, or nil at the end of the file.
    public func next() throws -> CSVRow? {
        var state = State.fieldStart
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let delimiter = self.delimiter
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        var rowNumber = nextRowNumber
        var sawDelimiter = false
        while true {
            if position == end {
                let more = ended ? false : try refill()
                if !more {
                    // End of file: finish the record in progress, if any.
                    if state == .fieldStart && fields.isEmpty && !sawDelimiter { return nil }
                    let problem = state == .quoted ? "a quoted field is not closed before the end of the file" : nil
                    try finishField(row: rowNumber)
                    nextRowNumber += 1
                    if problem == nil && isBlank() { return nil }
                    return CSVRow(row: rowNumber, fields: fields, problem: problem)
                }
            }
            let byte = buffer[position]
            position += 1
            if skipLineFeed {
                skipLineFeed = false
                if byte == lf { continue }
            }
            switch state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    try finishField(row: rowNumber); sawDelimiter = true; state = .fieldStart
                } else if byte == cr || byte == lf {
                    skipLineFeed = byte == cr
                    nextRowNumber += 1
                    if state == .fieldStart && fields.isEmpty && !sawDelimiter {
                        rowNumber = nextRowNumber   // a blank line: skipped, but counted
                        continue
                    }
                    try finishField(row: rowNumber)
                    if isBlank() {
                        fields.removeAll(keepingCapacity: true)
                        sawDelimiter = false
                        state = .fieldStart
                        rowNumber = nextRowNumber
                        continue
                    }
                    return CSVRow(row: rowNumber, fields: fields, problem: nil)
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                } else {
                    try append(byte, row: rowNumber); state = .unquoted
                    // The rest of the field in the buffer, up to a delimiter or line end, at once.
                    try appendRun(row: rowNumber) { $0 == delimiter || $0 == cr || $0 == lf }
                }
            case .quoted:
                if byte == quote { state = .quoteInQuoted } else {
                    try append(byte, row: rowNumber)
                    try appendRun(row: rowNumber) { $0 == quote }
                }
            case .quoteInQuoted:
                if byte == quote {
                    field.append(quote); state = .quoted
                } else if byte == delimiter {
                    try finishField(row: rowNumber); sawDelimiter = true; state = .fieldStart
                } else if byte == cr || byte == lf {
                    skipLineFeed = byte == cr
                    try finishField(row: rowNumber)
                    nextRowNumber += 1
                    return CSVRow(row: rowNumber, fields: fields, problem: nil)
                } else {
                    // Text after a closing quote (`"ab"c`): kept, as spreadsheets do.
                    try append(byte, row: rowNumber); state = .unquoted
                }
            }
        }
    }

    /// Adds a byte to the field being read, refusing what no table holds: NUL bytes and endless fields.
    @inline(__always)
    private func append(_ byte: UInt8, row: Int) throws {
        if byte == 0 {
            throw RCCError(.format, "\(path): row \(row): a NUL byte: this is binary data, not a delimited table")
        }
        if field.count >= maxFieldBytes {
            throw RCCError(.format, "\(path): row \(row): a field is longer than \(maxFieldBytes) bytes (an unclosed quote, or not a table)")
        }
        field.append(byte)
    }

    /// Appends the bytes from `position` up to the first that `stops` (or a NUL, which `append` then
    /// refuses, or the end of what the buffer holds) to the field, as `append` would one by one.
    @inline(__always)
    private func appendRun(row: Int, stops: (UInt8) -> Bool) throws {
        let start = position, end = self.end, buffer = self.buffer
        var stop = start
        while stop < end {
            let byte = buffer[stop]
            if byte == 0 || stops(byte) { break }
            stop += 1
        }
        guard stop > start else { return }
        if field.count + (stop - start) > maxFieldBytes {
            throw RCCError(.format, "\(path): row \(row): a field is longer than \(maxFieldBytes) bytes (an unclosed quote, or not a table)")
        }
        field.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<stop]))
        position = stop
    }

    private func isBlank() -> Bool {
        fields.allSatisfy { $0.allSatisfy { $0 == " " || $0 == "\t" } }
    }

    private func refill() throws -> Bool {
        let n = try source.read(into: buffer)
        position = 0
        end = n
        if n == 0 { ended = true }
        return n > 0
    }

    private func finishField(row: Int) throws {
        fields.append(try decode(field, row: row))
        field.removeAll(keepingCapacity: true)
    }

    private func decode(_ bytes: [UInt8], row: Int) throws -> String {
        // Most fields are ASCII, the same text in UTF-8 and Windows-1252: made by String's specialised
        // initialiser, not the generic validating one (which looks up its types at run time, field by field).
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if !windows1252 {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            windows1252 = true
            encoding = "Windows-1252"
        }
        guard let text = Windows1252.decode(bytes) else {
            throw RCCError(.format, "\(path): row \(row), field \(fields.count + 1): bytes that are neither UTF-8 nor Windows-1252; save the file as UTF-8")
        }
        return text
    }
}
