import RCCCore

/// What a source's bytes say it is.
public enum SourceFormat: Sendable, Equatable, CustomStringConvertible {
    /// Delimited text (CSV, tab- or pipe-separated).
    case delimitedText
    /// XML, with the name of its root element.
    case xml(root: String)
    case zip
    /// Bytes that are no text format this reader knows (an image, a spreadsheet…).
    case binary(what: String)

    public var description: String {
        switch self {
        case .delimitedText: "delimited text"
        case .xml(let root): "XML (root element \(root))"
        case .zip: "zip archive"
        case .binary(let what): what
        }
    }
}

/// A source opened and sniffed: its format, encoding, and a stream positioned after any byte-order mark.
public struct OpenedSource {
    public let source: ByteSource
    public let format: SourceFormat
    /// The text encoding as found: `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE (BOM)`… (the CSV reader may
    /// later report `Windows-1252` when bytes are not UTF-8).
    public let encoding: String
    /// Layers peeled off to reach the data, outermost first (e.g. `gzip`).
    public let containers: [String]
}

/// Opens a file and sniffs its format from its bytes, never from its name: gzip layers are peeled
/// off (and the data under them sniffed again), byte-order marks read and dropped.
public enum SourceOpener {
    public static func open(path: String) throws -> OpenedSource {
        try sniff(FileByteSource(path: path), containers: [])
    }

    public static func sniff(_ raw: ByteSource, containers: [String]) throws -> OpenedSource {
        let source = PeekableSource(raw)
        let head = try source.peek(512)
        if head.starts(with: [0x1F, 0x8B]) {
            guard containers.count < 8 else {
                throw RCCError(.format, "\(raw.path): gzip nested more than 8 deep; refusing it")
            }
            return try sniff(GzipByteSource(wrapping: source), containers: containers + ["gzip"])
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return OpenedSource(source: source, format: .zip, encoding: "binary", containers: containers)
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return OpenedSource(source: source, format: .binary(what: "an old Excel (.xls) or other OLE document"),
                                encoding: "binary", containers: containers)
        }
        if head.starts(with: [0x25, 0x50, 0x44, 0x46]) {
            return OpenedSource(source: source, format: .binary(what: "a PDF document"), encoding: "binary", containers: containers)
        }

        var text = source
        var encoding = "UTF-8"
        var textHead = head
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            try source.skip(3)
            encoding = "UTF-8 (BOM)"
            textHead = Array(head.dropFirst(3))
        } else if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            let bigEndian = head[0] == 0xFE
            try source.skip(2)
            encoding = bigEndian ? "UTF-16BE (BOM)" : "UTF-16LE (BOM)"
            let utf16 = PeekableSource(UTF16Source(source, bigEndian: bigEndian))
            textHead = try utf16.peek(512)
            text = utf16
        } else if textHead.prefix(64).contains(0) {
            return OpenedSource(source: source, format: .binary(what: "binary data (NUL bytes)"),
                                encoding: "binary", containers: containers)
        }

        if XMLRootSniffer.looksLikeXML(textHead),
           let root = XMLRootSniffer.rootElement(of: try text.peek(XMLRootSniffer.prologLimit)) {
            return OpenedSource(source: text, format: .xml(root: root), encoding: encoding, containers: containers)
        }
        return OpenedSource(source: text, format: .delimitedText, encoding: encoding, containers: containers)
    }
}
