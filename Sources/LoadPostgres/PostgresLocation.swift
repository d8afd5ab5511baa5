import Foundation
import RCCCore

/// A PostgreSQL warehouse address, `postgres://user@host:port/database[?sslmode=disable|prefer|require]`.
///
/// The password never comes from the command line: a URL carrying one is refused. It is taken from
/// `PGPASSWORD`, or from a pgpass file (`PGPASSFILE`, else `~/.pgpass`; refused when others can read it),
/// as libpq does.
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Safe to print: no password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw RCCError(.usage, "the warehouse URL must look like postgres://user@host:port/database")
        }
        if components.password != nil {
            throw RCCError(.usage, "the warehouse URL carries a password; give it in PGPASSWORD or a pgpass file instead, never on the command line")
        }
        user = components.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGHOST"] ?? "localhost"
        port = components.port ?? environment["PGPORT"].flatMap(Int.init) ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? (environment["PGDATABASE"] ?? user) : path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard let tls = TLSMode(rawValue: mode) else {
            throw RCCError(.usage, "sslmode must be disable, prefer or require")
        }
        self.tls = tls
    }

    /// The password for this address from PGPASSWORD or a pgpass file, if any.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? "")
        guard !file.isEmpty, FileManager.default.fileExists(atPath: file) else { return nil }
        var info = stat()
        if stat(file, &info) == 0, info.st_mode & 0o077 != 0 {
            throw RCCError(.usage, "password file \(file) can be read by other users; run `chmod 600 \(file)`")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return PostgresLocation.match(pgpass: text, host: host, port: port, database: database, user: user)
    }

    /// The password of the first pgpass line matching (`*` matches anything; `\:` and `\\` are escapes).
    static func match(pgpass: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in pgpass.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [], current = "", escaped = false
            for c in line {
                if escaped { current.append(c); escaped = false }
                else if c == "\\" { escaped = true }
                else if c == ":" && fields.count < 4 { fields.append(current); current = "" }
                else { current.append(c) }
            }
            fields.append(current)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
