/// A code list (legal status, placement type, ethnicity, …) from `schemas/codes/`, with the source
/// it was taken from and the collection years each code is valid for.
public struct CodeList: Sendable, Codable, Hashable {
    public struct Code: Sendable, Codable, Hashable {
        public var code: String
        public var label: String
        /// First collection year the code is valid for (inclusive); nil means always.
        public var from: Int?
        /// Last collection year the code is valid for (inclusive); nil means still valid.
        public var to: Int?
        /// The code's ONS (GSS) code, where the list gives one (`la-england`: an LA's DfE number → its ONS code).
        public var ons: String?

        public func isValid(in year: Int?) -> Bool {
            guard let year else { return true }
            if let from, year < from { return false }
            if let to, year > to { return false }
            return true
        }
    }

    public var id: String
    public var title: String
    public var source: String
    public var codes: [Code]

    /// The codes valid in a collection year, for fast membership tests.
    public func validCodes(in year: Int?) -> Set<String> {
        Set(codes.filter { $0.isValid(in: year) }.map(\.code))
    }

    public func label(of code: String) -> String? {
        codes.first { $0.code == code }?.label
    }

    /// The ONS code of each code that has one (an LA's DfE number to its ONS code, in `la-england`).
    public var onsCodes: [String: String] {
        Dictionary(codes.compactMap { code in code.ons.map { (code.code, $0) } }, uniquingKeysWith: { first, _ in first })
    }
}
