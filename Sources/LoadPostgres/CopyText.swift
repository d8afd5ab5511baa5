import NIOCore
import RCCCore

/// Rows in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, and backslash, tab, line
/// feed and carriage return escaped.
enum CopyText {
    /// A row of a load: its `load_id`, then its values.
    static func append(loadID: Int, _ row: [SQLValue], to buffer: inout ByteBuffer) {
        buffer.writeString(String(loadID))
        for value in row {
            buffer.writeInteger(UInt8(ascii: "\t"))
            append(value, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func append(_ value: SQLValue, to buffer: inout ByteBuffer) {
        switch value {
        case .null: buffer.writeStaticString("\\N")
        case .integer(let n): buffer.writeString(String(n))
        case .text(let s): appendEscaped(s, to: &buffer)
        }
    }

    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        let needsEscape = text.utf8.contains { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard needsEscape else { buffer.writeString(text); return }
        for byte in text.utf8 {
            switch byte {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
