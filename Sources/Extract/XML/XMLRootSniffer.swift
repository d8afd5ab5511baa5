import CLibXML2

/// Finds the root element of an XML document from its first bytes, with libxml2's streaming
/// reader: no network, no external entities, no DTD loading.
public enum XMLRootSniffer {
    /// How many bytes of prolog (declaration, comments) are read to find the root element.
    public static let prologLimit = 1 << 16

    /// Whether the text starts (after whitespace) with `<`.
    public static func looksLikeXML(_ head: [UInt8]) -> Bool {
        head.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
    }

    /// The local name of the first element, or nil when the bytes are not XML. A document libxml2
    /// cannot read as far as its first element (it breaks early) still names its root by its first tag,
    /// so that it is refused as XML that is not well-formed, with its line, rather than as unknown text.
    public static func rootElement(of bytes: [UInt8]) -> String? {
        guard looksLikeXML(bytes) else { return nil }
        return parsedRoot(bytes) ?? firstTag(bytes)
    }

    /// The name in the first start tag after the prolog (declaration, comments, processing
    /// instructions, a DOCTYPE), read by hand: `<ns:Name` gives `Name`.
    static func firstTag(_ bytes: [UInt8]) -> String? {
        var i = 0
        func skip(past end: [UInt8]) -> Bool {
            while i + end.count <= bytes.count {
                if Array(bytes[i..<i + end.count]) == end { i += end.count; return true }
                i += 1
            }
            return false
        }
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else {
                guard [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) else { return nil }
                i += 1
                continue
            }
            let rest = bytes[(i + 1)...]
            if rest.starts(with: Array("?".utf8)) {
                guard skip(past: Array("?>".utf8)) else { return nil }
            } else if rest.starts(with: Array("!--".utf8)) {
                guard skip(past: Array("-->".utf8)) else { return nil }
            } else if rest.starts(with: Array("!".utf8)) {
                guard skip(past: Array(">".utf8)) else { return nil }
            } else {
                let name = rest.prefix { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                        || byte == UInt8(ascii: ":") || byte >= 0x80
                }
                guard let first = name.first, !(first >= 0x30 && first <= 0x39), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return nil }
                let text = String(decoding: name, as: UTF8.self)
                return text.split(separator: ":").last.map(String.init)
            }
        }
        return nil
    }

    private static func parsedRoot(_ bytes: [UInt8]) -> String? {
        // The bytes are UTF-8 by now (UTF-16 is transcoded as it is read), whatever the declaration says;
        // root element names are ASCII, so ignoring the declared encoding is safe here.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                            | XML_PARSE_IGNORE_ENC.rawValue)
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            let chars = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            guard let reader = xmlReaderForMemory(chars, Int32(buffer.count), nil, nil, options) else { return nil }
            defer { xmlFreeTextReader(reader) }
            while xmlTextReaderRead(reader) == 1 {
                if xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue),
                   let name = xmlTextReaderConstLocalName(reader) {
                    return String(cString: name)
                }
            }
            return nil
        }
    }
}
