/// A use-case profile (`schemas/regional/profiles/NAME.yaml`): which regional tables, and which of
/// their columns, a warehouse holds. The DPO signs off a warehouse for one use; the profile is the
/// minimisation that use needs, kept as data. A warehouse is made with one profile and keeps it: what
/// a profile leaves out is never created, so it cannot be loaded by mistake.
public struct Profile: Sendable, Codable, Hashable {
    /// The tables a profile keeps: every one, or the listed ones with their exclusions.
    public enum Tables: Sendable, Hashable {
        case all
        case only([String: TableSelection])
    }

    public struct TableSelection: Sendable, Codable, Hashable {
        /// Columns of the table left out (never created, never loaded).
        public var exclude: [String]?
        public init(exclude: [String]? = nil) { self.exclude = exclude }
    }

    public var id: String
    public var title: String
    public var description: String
    /// Where the selection comes from (the regional tool or agreement it follows).
    public var source: String?
    public var tables: Tables

    /// The profile used when none is named: every table and column of the regional schema.
    public static let defaultID = "full"

    public init(id: String, title: String, description: String, source: String? = nil, tables: Tables) {
        self.id = id; self.title = title; self.description = description; self.source = source; self.tables = tables
    }

    private enum CodingKeys: String, CodingKey { case id, title, description, source, tables }

    /// `tables: all`, or a mapping of table name to `{exclude: [column, …]}` (`{}` for the whole table).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        description = try container.decode(String.self, forKey: .description)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        if let word = try? container.decode(String.self, forKey: .tables) {
            guard word == "all" else {
                throw DecodingError.dataCorruptedError(forKey: .tables, in: container,
                                                       debugDescription: "tables is `all` or a mapping of table names")
            }
            tables = .all
        } else {
            tables = .only(try container.decode([String: TableSelection].self, forKey: .tables))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encodeIfPresent(source, forKey: .source)
        switch tables {
        case .all: try container.encode("all", forKey: .tables)
        case .only(let selection): try container.encode(selection, forKey: .tables)
        }
    }

    /// Whether the profile keeps `table`.
    public func keeps(table: String) -> Bool {
        switch tables {
        case .all: true
        case .only(let selection): selection[table] != nil
        }
    }

    /// Whether the profile keeps `column` of `table`.
    public func keeps(table: String, column: String) -> Bool {
        switch tables {
        case .all: true
        case .only(let selection): selection[table].map { !($0.exclude ?? []).contains(column) } ?? false
        }
    }
}
