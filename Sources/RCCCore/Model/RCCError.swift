/// A failure of the run (not a data problem): typed, with a description that names files
/// and fields but never a cell value.
public struct RCCError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let schema = Code("schema")
        public static let io = Code("io")
        public static let format = Code("format")
        public static let key = Code("key")
        public static let warehouse = Code("warehouse")
        public static let usage = Code("usage")
        public static let identity = Code("identity")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
