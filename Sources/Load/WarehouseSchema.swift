import Foundation
import RCCCore

/// SQL dialects the warehouse speaks.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    func type(_ type: RegionalColumn.ColumnType) -> String {
        switch (self, type) {
        case (_, .text): "TEXT"
        case (_, .integer): "INTEGER"
        case (.sqlite, .date): "TEXT"
        case (.postgres, .date): "DATE"
        }
    }

    var autoKey: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }
}

/// A named schema change, applied once and recorded in `schema_migrations`.
public struct Migration: Sendable, Equatable {
    public let name: String
    public let statements: [String]
}

/// The warehouse's tables as named migrations derived from the regional schema: the ledger and
/// location tables first, then one migration per regional table and one per column added later.
public enum WarehouseSchema {

    /// The profile a warehouse was made with, from its applied migrations: its `profile-ID` marker, or
    /// `full` for a warehouse made before profiles (it has tables but no marker); nil for a new one.
    public static func profile(applied: Set<String>) -> String? {
        if let marker = applied.first(where: { $0.hasPrefix("profile-") }) { return String(marker.dropFirst("profile-".count)) }
        return applied.contains { $0.hasPrefix("table-") } ? Profile.defaultID : nil
    }

    /// The migrations not yet applied. Fails when the warehouse was made with another profile than the
    /// catalog's: one warehouse holds one profile's selection, never a mix.
    public static func migrations(for catalog: SchemaCatalog, dialect: SQLDialect, applied: Set<String>) throws -> [Migration] {
        var pending: [Migration] = []
        if let made = profile(applied: applied), made != catalog.profile.id {
            throw RCCError(.usage, "the warehouse was made with the \"\(made)\" profile and this run asks for \"\(catalog.profile.id)\": a warehouse holds one profile's selection. Give --profile \(made), or load into another warehouse.")
        }
        if !applied.contains("profile-\(catalog.profile.id)") {
            pending.append(Migration(name: "profile-\(catalog.profile.id)", statements: []))
        }
        if !applied.contains("0001-ledger") {
            pending.append(Migration(name: "0001-ledger", statements: [
                """
                CREATE TABLE loads (
                  load_id \(dialect.autoKey),
                  la TEXT NOT NULL, collection TEXT NOT NULL, collection_year INTEGER NOT NULL,
                  status TEXT NOT NULL, source_sha256 TEXT NOT NULL, sources TEXT NOT NULL,
                  rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_quarantined INTEGER NOT NULL,
                  findings INTEGER NOT NULL, key_fingerprint TEXT NOT NULL, schema_version TEXT NOT NULL,
                  run_id TEXT NOT NULL, loaded_at TEXT NOT NULL, replaces INTEGER, replaced_by INTEGER)
                """,
                "CREATE UNIQUE INDEX loads_one_current ON loads (la, collection, collection_year) WHERE status = 'current'",
                """
                CREATE TABLE quarantine (
                  load_id INTEGER NOT NULL, table_name TEXT NOT NULL, source TEXT NOT NULL, row_number INTEGER,
                  field TEXT, rule_id TEXT NOT NULL, dfe_code TEXT, severity TEXT NOT NULL, reason TEXT NOT NULL)
                """,
                "CREATE INDEX quarantine_load ON quarantine (load_id)",
                """
                CREATE TABLE findings (
                  load_id INTEGER NOT NULL, table_name TEXT NOT NULL, source TEXT NOT NULL, row_number INTEGER,
                  field TEXT, rule_id TEXT NOT NULL, dfe_code TEXT, severity TEXT NOT NULL, message TEXT NOT NULL,
                  child TEXT)
                """,
                "CREATE INDEX findings_load ON findings (load_id)",
                "CREATE INDEX findings_rule ON findings (rule_id)",
            ]))
        }
        if !applied.contains("0002-reference-postcode-district-la") {
            pending.append(Migration(name: "0002-reference-postcode-district-la", statements: [
                "CREATE TABLE ref_postcode_district_la (district TEXT PRIMARY KEY, la TEXT NOT NULL)",
            ]))
        }
        if !applied.contains("0003-quarantine-child") {
            // The pseudonym of a quarantined row's child: to find a child's rows, and for the DPO scan.
            pending.append(Migration(name: "0003-quarantine-child", statements: [
                "ALTER TABLE quarantine ADD COLUMN child TEXT",
            ]))
        }
        for table in catalog.regionalTables {
            let name = "table-\(table.table)"
            if !applied.contains(name) {
                let columns = ["load_id INTEGER NOT NULL"] + table.columns.map { "\($0.name) \(dialect.type($0.type))" }
                var statements = ["CREATE TABLE \(table.table) (\n  \(columns.joined(separator: ",\n  ")))",
                                  "CREATE INDEX \(table.table)_load ON \(table.table) (load_id)"]
                for index in table.indexes ?? [] {
                    statements.append("CREATE INDEX \(table.table)_\(index.joined(separator: "_")) ON \(table.table) (\(index.joined(separator: ", ")))")
                }
                pending.append(Migration(name: name, statements: statements))
                // A new table has every column: record them so they are not added again.
                for column in table.columns {
                    pending.append(Migration(name: "column-\(table.table)-\(column.name)", statements: []))
                }
            } else {
                for column in table.columns where !applied.contains("column-\(table.table)-\(column.name)") {
                    pending.append(Migration(name: "column-\(table.table)-\(column.name)", statements: [
                        "ALTER TABLE \(table.table) ADD COLUMN \(column.name) \(dialect.type(column.type))",
                    ]))
                }
            }
        }
        // Views last, after the tables they read; recreated whenever their text changes.
        for view in catalog.views {
            let name = "view-\(view.name)-\(digest(view.sql))"
            if !applied.contains(name) {
                let body = view.sql.trimmingCharacters(in: .whitespacesAndNewlines)
                    .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
                    .joined(separator: "\n")
                pending.append(Migration(name: name, statements: [
                    "DROP VIEW IF EXISTS \(view.name)",
                    "CREATE VIEW \(view.name) AS\n\(body.hasSuffix(";") ? String(body.dropLast()) : body)",
                ]))
            }
        }
        return pending
    }

    /// A short, stable digest of text (FNV-1a, 64 bits), naming a view's version.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return String(hash, radix: 16)
    }

    public static let createMigrationsTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"

    public static func insertStatement(_ table: RegionalTable, placeholder: (Int) -> String) -> String {
        let names = ["load_id"] + table.columns.map(\.name)
        let values = names.indices.map { placeholder($0 + 1) }
        return "INSERT INTO \(table.table) (\(names.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
    }
}
