import RCCCore

/// Decoding and vetting of zip member names.
///
/// A name is decoded as UTF-8 when the archive says so (general-purpose bit 11) or when its bytes are
/// valid UTF-8 anyway (as macOS and 7-Zip write them), else as code page 437, the zip format's original
/// encoding. Nothing is extracted to disk, but names become paths in diagnostics and may one day be
/// joined to folders, so any name that could escape a folder is refused, not cleaned: a sender whose
/// tool wrote such a name should know.
enum ZipEntryName {
    /// Longest name accepted, in bytes (names are kept to cross-check the central directory).
    static let maxBytes = 4096

    static func decode(_ raw: [UInt8], utf8Flag: Bool) -> String {
        if utf8Flag || raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        let utf8 = String(decoding: raw, as: UTF8.self)
        if utf8.utf8.elementsEqual(raw) { return utf8 }  // valid UTF-8: nothing was replaced
        var scalars = String.UnicodeScalarView()
        for byte in raw {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : cp437High[Int(byte - 0x80)])
        }
        return String(scalars)
    }

    /// Why `name` may not be used, or nil when it is acceptable. Separators are `/` and, since Windows
    /// tools and unzippers treat it as one, `\`.
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "has an empty name" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "has control characters in its name"
        }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "has an absolute path" }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].isASCII, scalars[0].properties.isAlphabetic {
            return "has a drive-letter path"
        }
        let segments = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" })
        if segments.contains("..") { return "has a '..' segment that would climb out of the archive's folder" }
        return nil
    }

    /// A name fit to print when it was refused for control characters: those become `?`.
    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    /// Code page 437, bytes 0x80–0xFF.
    static let cp437High: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}"
            .unicodeScalars)
}
