/// The identity of a return: one LA's submission of one collection for one collection year.
///
/// `year` is the year in which the collection period ends (2025 for 1 April 2024 – 31 March 2025).
public struct ReturnKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var la: String
    public var collection: String
    public var year: Int

    public init(la: String, collection: String, year: Int) {
        self.la = la
        self.collection = collection
        self.year = year
    }

    public var description: String { "LA \(la) \(collection) \(year)" }

    public static func < (a: ReturnKey, b: ReturnKey) -> Bool {
        (a.la, a.collection, a.year) < (b.la, b.collection, b.year)
    }
}
