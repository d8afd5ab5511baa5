import RCCCore

/// The bytes libxml2's streaming reader pulls, from a `ByteSource`, with a scan on the way:
///
/// - the line of every element's start tag, in document order (libxml2 keeps only 16 bits of a
///   node's line), so a row can point at its element's line however long the file;
/// - a document type declaration (`<!DOCTYPE`) in the prolog stops the read before libxml2 sees
///   it: DTDs, and with them entity declarations (billion laughs, external entities, external
///   DTD subsets), are refused rather than parsed, expanded or fetched.
///
/// The scan assumes an ASCII-compatible encoding, which is what reaches an XML reader here: UTF-8,
/// single-byte encodings, and UTF-16 transcoded to UTF-8 by `SourceOpener`.
final class XMLByteFeed {
    let source: ByteSource
    /// Bytes read ahead from the source (to look at the XML declaration), served first.
    private var prefix: [UInt8] = []
    private var prefixOffset = 0
    private var ended = false

    /// The failure that stopped the read (from the source, or a refusal), to throw instead of libxml2's error.
    private(set) var failure: Error?
    /// The first fatal error libxml2 reported: its line and a message without any document text.
    var parseError: (line: Int, code: Int32, message: String)?

    private var scanner = Scanner()

    init(source: ByteSource) {
        self.source = source
    }

    /// Reads up to `count` bytes ahead, to be served before the rest of the source.
    func peek(_ count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while prefix.count - prefixOffset < count && !ended {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { ended = true } else { prefix.append(contentsOf: chunk[0..<n]) }
        }
        return Array(prefix[prefixOffset..<min(prefix.count, prefixOffset + count)])
    }

    /// The read callback's work: fills `buffer`, scans what it hands over; -1 on failure or refusal.
    func read(into buffer: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        if failure != nil { return -1 }
        let target = UnsafeMutableRawBufferPointer(start: buffer, count: max(0, count))
        var n = 0
        do {
            if prefixOffset < prefix.count {
                n = min(target.count, prefix.count - prefixOffset)
                prefix.withUnsafeBytes { target.baseAddress!.copyMemory(from: $0.baseAddress! + prefixOffset, byteCount: n) }
                prefixOffset += n
                if prefixOffset == prefix.count { prefix = []; prefixOffset = 0 }
            } else if !ended {
                n = try source.read(into: target)
                if n == 0 { ended = true }
            }
        } catch {
            failure = error
            return -1
        }
        scanner.scan(UnsafeRawBufferPointer(rebasing: target[0..<n]))
        if let line = scanner.doctypeLine {
            failure = RCCError(.format, "\(source.path): line \(line): the document declares a document type (<!DOCTYPE …>); "
                + "DTDs and entity declarations are refused, not read (a census return has none)")
            return -1
        }
        return Int32(n)
    }

    /// The line of the next element start tag libxml2 reports, in document order.
    func nextElementLine() -> Int? { scanner.nextElementLine() }

    /// Tracks lines, element start tags, comments, CDATA sections and processing instructions
    /// byte by byte, across chunk boundaries.
    struct Scanner {
        enum State {
            case text, lessThan, bang, bangDash, comment, commentDash, commentDashDash
            case cdataOpen(Int), cdata, cdataBracket, cdataBrackets, instruction, instructionQuestion
        }
        var line = 1
        var state = State.text
        var lastWasCR = false
        var seenRoot = false
        var doctypeLine: Int?
        private var lines: [Int] = []
        private var head = 0
        private static let cdataWord = Array("CDATA[".utf8)

        mutating func nextElementLine() -> Int? {
            guard head < lines.count else { return nil }
            let line = lines[head]
            head += 1
            if head > 4096 && head * 2 > lines.count {
                lines.removeFirst(head)
                head = 0
            }
            return line
        }

        mutating func scan(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var i = 0
            while i < bytes.count {
                if case .text = state {
                    // Most bytes are text: passed over here, counting only line ends, up to the next `<`.
                    var j = i
                    while j < bytes.count && base[j] != UInt8(ascii: "<") && base[j] != 0x0A && base[j] != 0x0D { j += 1 }
                    if j > i {
                        lastWasCR = false
                        i = j
                        if i == bytes.count { break }
                    }
                }
                let byte = base[i]
                i += 1
                switch byte {
                case 0x0A:
                    if !lastWasCR { line += 1 }
                    lastWasCR = false
                case 0x0D:
                    line += 1
                    lastWasCR = true
                default:
                    lastWasCR = false
                }
                switch state {
                case .text:
                    if byte == UInt8(ascii: "<") { state = .lessThan }
                case .lessThan:
                    switch byte {
                    case UInt8(ascii: "!"): state = .bang
                    case UInt8(ascii: "?"): state = .instruction
                    case UInt8(ascii: "/"): state = .text
                    default:
                        // A name start (letter, `_`, `:` or a non-ASCII byte) opens an element.
                        if (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80 {
                            lines.append(line)
                            seenRoot = true
                        }
                        state = .text
                    }
                case .bang:
                    if byte == UInt8(ascii: "-") {
                        state = .bangDash
                    } else if seenRoot {
                        // In content only a CDATA section opens with `<![`; anything else is libxml2's to reject.
                        state = byte == UInt8(ascii: "[") ? .cdataOpen(0) : .text
                    } else {
                        // In the prolog, `<!` other than a comment can only open a document type declaration.
                        if doctypeLine == nil { doctypeLine = line }
                        state = .text
                    }
                case .bangDash:
                    state = byte == UInt8(ascii: "-") ? .comment : .text
                case .comment:
                    if byte == UInt8(ascii: "-") { state = .commentDash }
                case .commentDash:
                    state = byte == UInt8(ascii: "-") ? .commentDashDash : .comment
                case .commentDashDash:
                    if byte == UInt8(ascii: ">") { state = .text } else if byte != UInt8(ascii: "-") { state = .comment }
                case .cdataOpen(let matched):
                    if byte == Self.cdataWord[matched] {
                        state = matched + 1 == Self.cdataWord.count ? .cdata : .cdataOpen(matched + 1)
                    } else {
                        state = .text
                    }
                case .cdata:
                    if byte == UInt8(ascii: "]") { state = .cdataBracket }
                case .cdataBracket:
                    state = byte == UInt8(ascii: "]") ? .cdataBrackets : .cdata
                case .cdataBrackets:
                    if byte == UInt8(ascii: ">") { state = .text } else if byte != UInt8(ascii: "]") { state = .cdata }
                case .instruction:
                    if byte == UInt8(ascii: "?") { state = .instructionQuestion }
                case .instructionQuestion:
                    if byte == UInt8(ascii: ">") { state = .text } else if byte != UInt8(ascii: "?") { state = .instruction }
                }
            }
        }
    }
}
