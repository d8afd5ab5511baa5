import RCCCore

/// What a sequence rule's Swift runs with besides the child's rows: the collection's dates and the
/// codes and thresholds its entry in `schemas/rules/` gives it (`parameters:`). A rule reads a value by
/// the name it declares in `parameters` (`run.codes("temporary")`, `run.number("most_days")`); compiling
/// the rule has checked the YAML gives each of those, of its kind, so a read never finds nothing.
///
/// A class: a runner hands one to a rule for every child, and passing a reference costs one count,
/// where the struct it was (a period and the values) was copied field by field each time.
public final class RuleRun: Sendable {
    public let period: CollectionPeriod
    let values: RuleValues

    public init(period: CollectionPeriod, values: RuleValues = .none) {
        self.period = period
        self.values = values
    }

    /// A run of `year`'s collection with `parameters` (for tests and tools running one rule by hand).
    public convenience init(year: Int, parameters: [String: RuleParameter] = [:]) {
        self.init(period: CollectionPeriod(year: year), values: RuleValues(parameters))
    }

    public var year: Int { period.year }
    public var start: CivilDate { period.start }
    public var end: CivilDate { period.end }
    public var startISO: String { period.startISO }
    public var endISO: String { period.endISO }

    /// A number parameter: days, years of age, a count.
    public func number(_ name: String) -> Int { values.numbers[name] ?? 0 }
    /// A one-code parameter.
    public func code(_ name: String) -> String { values.code[name] ?? "" }
    /// A list-of-codes parameter, to ask whether it holds a code…
    public func codes(_ name: String) -> CodeSet { values.codeSets[name] ?? .none }
    /// …and in the order written.
    public func list(_ name: String) -> [String] { values.lists[name] ?? [] }
    /// A mapping parameter: codes to the codes each counts as.
    public func mapping(_ name: String) -> [String: [String]] { values.mappings[name] ?? [:] }
}

/// A rule's parameters, sorted by kind once when the rule compiles: the rule reads them once a child.
public final class RuleValues: Sendable {
    let numbers: Named<Int>
    let code: Named<String>
    let lists: Named<[String]>
    let codeSets: Named<CodeSet>
    let mappings: Named<[String: [String]]>

    public static let none = RuleValues([:])

    public init(_ parameters: [String: RuleParameter]) {
        var numbers: [String: Int] = [:], code: [String: String] = [:], lists: [String: [String]] = [:]
        var mappings: [String: [String: [String]]] = [:]
        for (name, value) in parameters {
            switch value {
            case .number(let n): numbers[name] = n; code[name] = String(n); lists[name] = [String(n)]
            case .code(let c): code[name] = c; lists[name] = [c]
            case .codes(let l): lists[name] = l
            case .mapping(let m): mappings[name] = m
            }
        }
        self.numbers = Named(numbers)
        self.code = Named(code)
        self.lists = Named(lists)
        self.codeSets = Named(lists.mapValues(CodeSet.init))
        self.mappings = Named(mappings)
    }

    private init(numbers: Named<Int>, code: Named<String>, lists: Named<[String]>, codeSets: Named<CodeSet>,
                 mappings: Named<[String: [String]]>) {
        self.numbers = numbers
        self.code = code
        self.lists = lists
        self.codeSets = codeSets
        self.mappings = mappings
    }

    /// Checks `given` (a rule's `parameters:`, or the shared ones) against what the Swift reads (`wanted`,
    /// by name and kind): every name given, of its kind (a number does for a code, one code for a list),
    /// and no other. `subject` names what gave them in an error (`sequence rule ID`).
    static func check(_ given: [String: RuleParameter], against wanted: [String: RuleParameter.Kind], subject: String) throws {
        for (name, kind) in wanted.sorted(by: { $0.key < $1.key }) {
            guard let value = given[name] else {
                throw RCCError(.schema, "\(subject): the Swift reads parameter \(name) (\(kind.rawValue)), which is not given")
            }
            let fits = switch (kind, value) {
            case (.number, .number), (.code, .code), (.code, .number), (.codes, .codes), (.codes, .code), (.codes, .number),
                 (.mapping, .mapping): true
            default: false
            }
            guard fits else {
                throw RCCError(.schema, "\(subject): parameter \(name) must be \(kind == .codes ? "a list of codes" : kind == .mapping ? "codes mapped to lists of codes" : "a \(kind.rawValue)")")
            }
        }
        if let extra = Set(given.keys).subtracting(wanted.keys).sorted().first {
            throw RCCError(.schema, "\(subject) gives parameter \(extra), which the Swift does not read")
        }
    }
}

/// A rule's few values of one kind, by name: found by comparing names (short strings, compared in a word or
/// two), since a rule has a handful and reads them for every child: hashing the name each time cost more.
/// A name of another length is passed over without comparing it (a String knows its length): an ASCII name
/// (as they all are) equals only the same bytes, though two other strings may be equal in other lengths.
struct Named<Value: Sendable>: Sendable {
    /// `length`: of an ASCII name, its length; nil for any other.
    private let entries: [(name: String, length: Int?, value: Value)]

    init(_ values: [String: Value]) {
        entries = values.sorted { $0.key < $1.key }.map { name, value in
            (name, name.utf8.allSatisfy { $0 < 0x80 } ? name.utf8.count : nil, value)
        }
    }

    private init(entries: [(name: String, length: Int?, value: Value)]) { self.entries = entries }

    subscript(name: String) -> Value? {
        let length = name.utf8.count
        for entry in entries where (entry.length ?? length) == length && entry.name == name { return entry.value }
        return nil
    }
}

extension RuleValues {
    /// A copy sharing no storage with this one, for a thread of its own (`SequenceRules.Runner`): the
    /// rules read their parameters for every child, and two threads counting references to the same sets
    /// and lists would pass those objects' cache lines between cores each time.
    func unshared() -> RuleValues {
        RuleValues(numbers: numbers.unshared { $0 }, code: code.unshared(String.unshared),
                   lists: lists.unshared { $0.map(String.unshared) },
                   codeSets: codeSets.unshared { $0.unshared() },
                   mappings: mappings.unshared { Dictionary(uniqueKeysWithValues: $0.map { (String.unshared($0.key), $0.value.map(String.unshared)) }) })
    }
}

extension Named {
    /// The same values, each name and value copied by `copy` (see `RuleValues.unshared`).
    func unshared(_ copy: (Value) -> Value) -> Named {
        Named(entries: entries.map { (String.unshared($0.name), $0.length, copy($0.value)) })
    }
}

extension String {
    /// A copy of `text` with storage of its own (see `RuleValues.unshared`). A short string (up to 15
    /// bytes) is held in the value itself and shares nothing anyway.
    static func unshared(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
}
