/// A rule's list of codes (a `codes` parameter: `run.codes("respite")`), asked whether it holds a cell's
/// code for every row of every child. When every code is ASCII (all of the DfE's are), a cell of up to
/// seven ASCII bytes is found by comparing numbers (`ShortText`, as the field checks and `in [...]` find
/// codes); any other cell, or any cell when a code is not ASCII, by a `Set` of the codes. As a
/// `Set<String>` alone, every look-up hashed the cell (SipHash) and compared text: about 3% of a CSV
/// ingest's CPU, over the sequence rules.
///
/// A class: a rule asks its run for the set once a child, and handing on a reference counts it once,
/// where a struct of its three lists counted each. A runner on a thread of its own makes its own
/// (`unshared()`), as it does of every parameter.
public final class CodeSet: Sendable, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The codes that pack, in ascending order; nil when a code is not ASCII (an ASCII cell may then equal
    /// it as text, as `K` equals the Kelvin sign, though not byte for byte).
    private let packed: [UInt64]?
    /// Every code.
    private let set: Set<String>
    /// The codes as given, each once, in the order first given.
    public let codes: [String]

    public init<S: Sequence>(_ codes: S) where S.Element == String {
        var set = Set<String>(), ordered: [String] = []
        for code in codes where set.insert(code).inserted { ordered.append(code) }
        self.set = set
        self.codes = ordered
        packed = ordered.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? Set(ordered.compactMap(ShortText.pack)).sorted() : nil
    }

    public required convenience init(arrayLiteral codes: String...) { self.init(codes) }

    /// No codes.
    public static let none = CodeSet([])

    /// Whether `code` is one of the codes, as `Set<String>` would answer (text equal as Swift compares it).
    public func contains(_ code: String) -> Bool {
        // ASCII against ASCII codes: equal as text only when equal byte for byte.
        if let packed, let number = ShortText.pack(code) { return ShortText.contains(packed, number) }
        return set.contains(code)
    }

    public var isEmpty: Bool { codes.isEmpty }
    public var count: Int { codes.count }

    public static func == (a: CodeSet, b: CodeSet) -> Bool { a.set == b.set }

    public var description: String { codes.description }

    /// A copy sharing no storage with this one (see `RuleValues.unshared`).
    func unshared() -> CodeSet { CodeSet(codes.map(String.unshared)) }
}
