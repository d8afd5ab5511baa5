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

    /// The local name of the first element, or nil when the bytes are not XML.
    public static func rootElement(of bytes: [UInt8]) -> String? {
        guard looksLikeXML(bytes) else { return nil }
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
