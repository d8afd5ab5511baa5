/// UK postcodes: normalised to `OUTWARD INWARD` in upper case, and coarsened to their sector.
public enum Postcode {
    /// `m1  1ae` → `M1 1AE`; nil when the text is not shaped like a full UK postcode.
    public static func normalise(_ text: String) -> String? {
        let compact = text.uppercased().filter { $0 != " " && $0 != "\t" }
        // The one postcode outside the pattern (Girobank, now Santander's): valid, and its own sector.
        if compact == "GIR0AA" { return "GIR 0AA" }
        let chars = Array(compact.utf8)
        guard (5...7).contains(chars.count) else { return nil }
        let outward = chars[0..<(chars.count - 3)], inward = chars[(chars.count - 3)...]
        func isLetter(_ c: UInt8) -> Bool { (65...90).contains(c) }
        func isDigit(_ c: UInt8) -> Bool { (48...57).contains(c) }
        // Inward: digit letter letter. Outward: 1–2 letters, a digit, then an optional letter or digit.
        let inwardBytes = Array(inward)
        guard isDigit(inwardBytes[0]), isLetter(inwardBytes[1]), isLetter(inwardBytes[2]) else { return nil }
        let out = Array(outward)
        var i = 0
        while i < out.count && isLetter(out[i]) { i += 1 }
        guard (1...2).contains(i), i < out.count, isDigit(out[i]) else { return nil }
        let rest = out[(i + 1)...]
        guard rest.count <= 1, rest.allSatisfy({ isLetter($0) || isDigit($0) }) else { return nil }
        return String(decoding: out, as: UTF8.self) + " " + String(decoding: inwardBytes, as: UTF8.self)
    }

    /// The sector of a normalised postcode: `M1 1AE` → `M1 1`.
    public static func sector(ofNormalised postcode: String) -> String? {
        // Byte by byte for ASCII (every postcode the normaliser lets through): finding a character in a
        // String walks grapheme clusters, 1.3% of the CSV ingest's samples for one postcode a row.
        if let sector = postcode.utf8.withContiguousStorageIfAvailable({ bytes -> String?? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return .none }
            guard let space = bytes.firstIndex(of: 0x20), space + 1 < bytes.count else { return .some(nil) }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[...(space + 1)]), as: UTF8.self))
        }), let sector { return sector }
        guard let space = postcode.firstIndex(of: " ") else { return nil }
        let inward = postcode[postcode.index(after: space)...]
        guard let digit = inward.first else { return nil }
        return String(postcode[..<space]) + " " + String(digit)
    }
}
