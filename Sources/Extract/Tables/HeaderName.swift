/// Header names as LAs write them (`Place Provider`, ` place_provider `, `PLACE-PROVIDER`) reduced
/// to one comparable form: upper case, runs of anything but letters and digits as one underscore.
public enum HeaderName {
    public static func normalise(_ name: String) -> String {
        var out = ""
        var pendingSeparator = false
        for scalar in name.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingSeparator && !out.isEmpty { out.append("_") }
                pendingSeparator = false
                out.unicodeScalars.append(contentsOf: String(scalar).uppercased().unicodeScalars)
            } else {
                pendingSeparator = true
            }
        }
        return out
    }
}
