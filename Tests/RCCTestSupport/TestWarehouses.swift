import Foundation

/// The warehouses tests run against: SQLite always, PostgreSQL when `RCC_TEST_POSTGRES_URL` names a
/// server (CI starts one on loopback). Each test gets a fresh database of its own.
public enum TestWarehouses {
    public enum Engine: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    public static let postgresURL: String? = {
        let url = ProcessInfo.processInfo.environment["RCC_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }()

    /// Whether this run must test PostgreSQL (CI always must).
    public static var postgresRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The engines to run warehouse tests on here.
    public static var engines: [Engine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public static let skipNotice = "PostgreSQL warehouse tests skipped: no server configured (set RCC_TEST_POSTGRES_URL=postgres://user@127.0.0.1:PORT/postgres; `.ci/run` starts one)"

    /// A new, empty warehouse location for `engine`: a SQLite file in `folder`, or a new PostgreSQL database.
    public static func fresh(_ engine: Engine, in folder: URL) throws -> String {
        switch engine {
        case .sqlite:
            return folder.appendingPathComponent("warehouse-\(UUID().uuidString.prefix(8)).sqlite").path
        case .postgres:
            guard let base = postgresURL else { throw TestError("no PostgreSQL configured") }
            let name = "rcc_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            let result = try TestSupport.run("/usr/bin/env", ["psql", "-X", "-q", base, "-c", "CREATE DATABASE \(name)"])
            guard result.status == 0 else { throw TestError("cannot create a test database: \(result.stderr)") }
            var components = URLComponents(string: base)!
            components.path = "/" + name
            return components.string!
        }
    }

    /// Runs SQL against a warehouse with the engine's own shell, rows as `a|b` lines (NULL as empty).
    public static func sql(_ warehouse: String, _ query: String) throws -> String {
        let result: TestSupport.ProcessResult
        if warehouse.hasPrefix("postgres") {
            result = try TestSupport.run("/usr/bin/env", ["psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", warehouse, "-c", query])
        } else {
            result = try TestSupport.run("/usr/bin/env", ["sqlite3", warehouse, query])
        }
        guard result.status == 0 else { throw TestError("SQL failed on \(warehouse): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public struct TestError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
