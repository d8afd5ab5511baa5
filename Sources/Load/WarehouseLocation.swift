import RCCCore

/// Where `--warehouse` points: a SQLite file, or a PostgreSQL server by URL.
public enum WarehouseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            self = .sqlite(path: text)
        }
    }
}
