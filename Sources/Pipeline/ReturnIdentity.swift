import Foundation
import RCCCore

/// Works out which return (LA, collection, collection year) a source belongs to, from the first of:
/// command-line flags; a manifest beside the return; the document's own header (the CIN census's LEA
/// and ReferenceDate); a folder named by an LA code anywhere in the path (`inbox/352/…`,
/// `352-manchester/…`); a year in the file or folder names (`2025`, `2024-25`, `24-25`, `2425`: the
/// year a collection ends). The collection otherwise comes from the table recognised.
public struct ReturnIdentity: Sendable {
    public let laCodes: Set<String>
    public let la: String?
    public let year: Int?
    public let collection: String?
    /// When set, only the part of a path below this folder tells the LA and year: `rcc inbox` reads
    /// entries from `INBOX/processing/`, and the inbox's own place (`/srv/rcc-2025/inbox`) must not count.
    public let root: String?

    public init(catalog: SchemaCatalog, la: String?, year: Int?, collection: String? = nil, root: String? = nil) {
        laCodes = Set(catalog.codeLists["la"]?.codes.map(\.code) ?? [])
        self.la = la
        self.year = year
        self.collection = collection
        self.root = root
    }

    /// The path below `root`, or the whole path when there is no root or the path is not under it.
    private func named(_ path: String) -> String {
        guard let root else { return path }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    public static let howToGiveLA = "put the return in a folder named by its LA's three-digit code (e.g. inbox/352/), add a manifest.yaml with `la: \"352\"`, or give --la CODE"
    public static let howToGiveYear = "name the file or a folder by the collection year (e.g. 2025 or 2024-25), add a manifest.yaml with `year: 2025`, or give --year YYYY"

    /// What a document's header says: the CIN census's `LEA` and `ReferenceDate` (the collection year
    /// is the year the reference date falls in, for a date from January to March; the next one otherwise).
    public static func fromHeader(_ header: [String: String]) -> (la: String?, year: Int?) {
        let la = header["LEA"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.count == 3 ? $0 : nil }
        var year: Int?
        if let text = header["ReferenceDate"], let date = CivilDate.parse(text, formats: ["yyyy-mm-dd", "dd/mm/yyyy"]) {
            year = date.month <= 3 ? date.year : date.year + 1
        }
        return (la, year)
    }

    /// The return of a source, or why it cannot be told.
    public func resolve(path: String, collection specCollection: String, manifest: Manifest?,
                        header: [String: String] = [:]) -> Result<ReturnKey, RCCError> {
        if let wanted = collection ?? manifest?.collection, wanted != specCollection {
            return .failure(RCCError(.identity, "it holds \(specCollection) tables but the return is said to be \(wanted)"))
        }
        let fromHeader = ReturnIdentity.fromHeader(header)
        guard let la = la ?? manifest?.la ?? fromHeader.la ?? la(for: path) else {
            return .failure(RCCError(.identity, "cannot tell which LA sent it: \(ReturnIdentity.howToGiveLA)"))
        }
        guard let year = year ?? manifest?.year ?? fromHeader.year ?? year(for: path) else {
            return .failure(RCCError(.identity, "cannot tell which collection year it is for: \(ReturnIdentity.howToGiveYear)"))
        }
        return .success(ReturnKey(la: la, collection: specCollection, year: year))
    }

    public func la(for path: String) -> String? {
        if let la { return la }
        for component in named(path).split(separator: "/").dropLast().reversed() {
            let digits = component.prefix { $0.isASCII && $0.isNumber }
            guard digits.count == 3, laCodes.contains(String(digits)) else { continue }
            let rest = component.dropFirst(3)
            if rest.isEmpty || !(rest.first!.isLetter || rest.first!.isNumber) { return String(digits) }
        }
        return nil
    }

    public func year(for path: String) -> Int? {
        if let year { return year }
        // The file name first, then folders from the nearest out.
        for component in named(path).split(separator: "/").reversed() {
            if let found = ReturnIdentity.year(in: String(component)) { return found }
        }
        return nil
    }

    // NSRegularExpression is immutable and safe to share for matching.
    nonisolated(unsafe) private static let patterns: [(NSRegularExpression, (Int, Int) -> Int?)] = [
        // 2024-25, 2024_25, 202425
        (try! NSRegularExpression(pattern: "(?<![0-9])20([0-9]{2})[-_ ]?([0-9]{2})(?![0-9])"), { a, b in b == (a + 1) % 100 ? 2000 + b : nil }),
        // 24-25, 24_25, 2425
        (try! NSRegularExpression(pattern: "(?<![0-9])([0-9]{2})[-_]?([0-9]{2})(?![0-9])"), { a, b in b == (a + 1) % 100 && a >= 10 ? 2000 + b : nil }),
        // 2025
        (try! NSRegularExpression(pattern: "(?<![0-9])(20)([0-9]{2})(?![0-9])"), { _, b in 2000 + b }),
    ]

    static func year(in name: String) -> Int? {
        let range = NSRange(name.startIndex..., in: name)
        for (pattern, interpret) in patterns {
            for match in pattern.matches(in: name, range: range) {
                guard let a = Range(match.range(at: 1), in: name).flatMap({ Int(name[$0]) }),
                      let b = Range(match.range(at: 2), in: name).flatMap({ Int(name[$0]) }) else { continue }
                if let year = interpret(a, b), (2000...2099).contains(year) { return year }
            }
        }
        return nil
    }
}
