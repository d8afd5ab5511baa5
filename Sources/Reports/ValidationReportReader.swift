import Foundation
import Load
import RCCCore

extension ValidationReport {
    /// Computes the validation report of every current return `filter` selects, from the warehouse's
    /// `loads`, `quarantine` and `findings` tables. The filter is applied here, not in SQL: the queries
    /// are built from schema names only, never with values. `catalog` gives the LA names and tells
    /// delimited sources from XML ones (see `RowNumbering.of(tables:catalog:)`).
    public static func compute(warehouse: any Warehouse, catalog: SchemaCatalog, filter: Filter = Filter(),
                               now: Date = Date()) async throws -> ValidationReportSet {
        let generatedAt = ISO8601DateFormatter().string(from: now)
        let loads = try await warehouse.ledger()
            .compactMap { entry in entry.loadID.map { (id: $0, entry: entry) } }
            .filter { $0.entry.status == .current && filter.matches($0.entry.key) }
            .sorted { $0.entry.key < $1.entry.key }
        let numbering = Dictionary(loads.map { ($0.id, RowNumbering.bySource($0.entry.sourcesJSON, catalog: catalog)) },
                                   uniquingKeysWith: { a, _ in a })
        let entries = loads.isEmpty ? [:] : try await currentEntries(in: warehouse, numbering: numbering)
        let laNames = Dictionary((catalog.codeLists["la"]?.codes ?? []).map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
        let reports = loads.map { id, entry in
            ValidationReport(
                generatedAt: generatedAt, warehouse: warehouse.displayName,
                load: Load(loadID: id, key: entry.key, laName: laNames[entry.key.la], rowsRead: entry.rowsRead,
                           rowsLoaded: entry.rowsLoaded, rowsQuarantined: entry.rowsQuarantined, findings: entry.findings,
                           loadedAt: entry.loadedAt, runID: entry.runID, keyFingerprint: entry.keyFingerprint,
                           schemaVersion: entry.schemaVersion),
                entries: entries[id] ?? [])
        }
        return ValidationReportSet(generatedAt: generatedAt, warehouse: warehouse.displayName, filter: filter, reports: reports)
    }

    /// The quarantine and findings entries of the current loads `numbering` names (load id → how each of
    /// its sources counts rows), by load id.
    static func currentEntries(in warehouse: any Warehouse, numbering: [Int: [String: RowNumbering]]) async throws -> [Int: [Entry]] {
        var entries: [Int: [Entry]] = [:]
        for (table, message, action) in [("quarantine", "reason", Action.quarantined), ("findings", "message", Action.finding)] {
            let rows = try await warehouse.query("""
                SELECT t.load_id, t.table_name, t.source, t.row_number, t.field, t.rule_id, t.dfe_code, t.severity, t.\(message) \
                FROM \(table) t JOIN loads l ON l.load_id = t.load_id WHERE l.status = 'current'
                """)
            for row in rows {
                guard let loadID = int(row[0]), let bySource = numbering[loadID] else { continue }
                let source = text(row[2]) ?? ""
                entries[loadID, default: []].append(Entry(
                    action: action, ruleID: text(row[5]) ?? "", dfeCode: text(row[6]), severity: text(row[7]) ?? "",
                    table: text(row[1]) ?? "", source: source, row: int(row[3]), numbering: source == ValidationReport.wholeReturnSource ? .wholeReturn : (bySource[source] ?? .unknown),
                    field: text(row[4]), message: text(row[8]) ?? ""))
            }
        }
        return entries
    }

    static func text(_ value: SQLValue) -> String? { DPOReport.text(value) }
    static func int(_ value: SQLValue) -> Int? { DPOReport.int(value) }
}

extension ValidationReport.RowNumbering {
    /// What the row numbers of a source count, from the tables its ledger entry lists and the specs
    /// that read them. A delimited source is read as exactly one table, recognised from its header; an
    /// XML document as every table bound to its root element. A source that fits both or neither is
    /// `unknown`, and the report says so rather than guess.
    public static func of(tables: [String], catalog: SchemaCatalog) -> Self {
        let read = Set(tables)
        let xmlRoots = Dictionary(grouping: catalog.inputs.filter { $0.xml != nil }, by: { $0.xml!.root })
        let xml = xmlRoots.values.contains { Set($0.map(\.id)) == read }
        let delimited = tables.count == 1 && catalog.input(tables[0])?.readsCSV == true
        switch (delimited, xml) {
        case (true, false): return .spreadsheetRow
        case (false, true): return .xmlLine
        default: return .unknown
        }
    }

    /// The numbering of each source a ledger entry's `sources` JSON lists, by path.
    static func bySource(_ sourcesJSON: String, catalog: SchemaCatalog) -> [String: Self] {
        struct Listed: Decodable { var path: String; var tables: [String] }
        let listed = (try? JSONDecoder().decode([Listed].self, from: Data(sourcesJSON.utf8))) ?? []
        return Dictionary(listed.map { ($0.path, of(tables: $0.tables, catalog: catalog)) }, uniquingKeysWith: { a, _ in a })
    }
}
