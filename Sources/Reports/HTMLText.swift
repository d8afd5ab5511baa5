/// Text made safe for the reports' HTML pages and the SVG charts inline in them.
public enum HTMLText {
    /// Escapes text for element content and quoted attribute values, in HTML and in inline SVG.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
