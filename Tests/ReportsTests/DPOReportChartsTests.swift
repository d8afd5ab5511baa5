import Foundation
import Load
import LoadPostgres
import LoadSQLite
import RCCCore
import RCCTestSupport
import Reports
import Testing

/// The DPO report's charts: rows per LA, rows per table, and rows loaded per LA and collection year
/// from the `loads` ledger, on every warehouse engine.
@Suite struct DPOReportChartsTests {
    typealias Engine = TestWarehouses.Engine

    let catalog = TestSupport.catalog
    let folder: URL

    init() throws { folder = try TestSupport.temporaryFolder("rcc-dpo-charts") }

    /// Loads one SSDA903 return of `children` children (one episode each for the first `episodes`).
    func load(_ warehouse: any Warehouse, la: String, year: Int, children: Int, episodes: Int) async throws {
        let key = ReturnKey(la: la, collection: "ssda903", year: year)
        let transaction = try await warehouse.beginLoad(key)
        for (name, count) in [("children", children), ("care_episodes", episodes)] {
            let table = try #require(catalog.regionalTable(name))
            try await transaction.insert(RowBatch(table: table, rows: (0..<count).map { n in
                table.columns.map { column in
                    switch column.name {
                    case "la": .text(la)
                    case "collection_year": .integer(year)
                    case "collection": .text("ssda903")
                    case "child": .text("c\(n)")
                    default: .null
                    }
                }
            }))
        }
        let rows = children + episodes
        try await transaction.commit(LedgerEntry(key: key, sourceSHA256: "d-\(la)-\(year)", sourcesJSON: "[]", rowsRead: rows + 1,
                                                 rowsLoaded: rows, rowsQuarantined: 1, findings: 0, keyFingerprint: "sha256:aaaa",
                                                 schemaVersion: catalog.version, runID: "t", loadedAt: "now"))
    }

    @Test(arguments: TestWarehouses.engines)
    func chartsRowsPerLATableAndCollectionYear(engine: Engine) async throws {
        let location = try TestWarehouses.fresh(engine, in: folder)
        let warehouse: any Warehouse = switch engine {
        case .sqlite: try SQLiteWarehouse(path: location)
        case .postgres: try await PostgresWarehouse.connect(url: location)
        }
        let report: DPOReport
        do {
            try await warehouse.prepare(catalog)
            try await load(warehouse, la: "352", year: 2024, children: 3, episodes: 2)
            try await load(warehouse, la: "352", year: 2025, children: 4, episodes: 4)
            try await load(warehouse, la: "350", year: 2025, children: 2, episodes: 0)
            // Sent again: the replaced version counts nowhere.
            try await load(warehouse, la: "350", year: 2025, children: 1, episodes: 1)
            report = try await DPOReport.compute(warehouse: warehouse, catalog: catalog)
        } catch {
            await warehouse.close()
            throw error
        }
        await warehouse.close()

        #expect(report.loadedRows == [.init(la: "350", collectionYear: 2025, rows: 2), .init(la: "352", collectionYear: 2024, rows: 5),
                                      .init(la: "352", collectionYear: 2025, rows: 8)])
        #expect(report.rowsPerLAChart.groups.flatMap(\.bars) == [.init(label: "350 Bolton", value: 2), .init(label: "352 Manchester", value: 13)])
        // In the schema's order of tables.
        #expect(report.rowsPerTableChart.groups.flatMap(\.bars) == [.init(label: "care_episodes", value: 7), .init(label: "children", value: 8)])
        let overTime = report.loadedRowsOverTimeChart.groups
        #expect(overTime.map(\.label) == ["350 Bolton", "352 Manchester"])
        #expect(overTime.map { $0.bars.map { "\($0.label)=\($0.value)" } } == [["2024-25=2"], ["2023-24=5", "2024-25=8"]])

        let html = DPOReportHTML.render(report)
        let svgs = html.components(separatedBy: "<svg").dropFirst()
        #expect(svgs.count == 3)
        #expect(svgs.map { $0.components(separatedBy: "class=\"bar\"").count - 1 } == [2, 2, 3])
        for id in ["rows-per-la", "rows-per-table", "rows-over-time"] {
            #expect(html.contains("aria-labelledby=\"\(id)-title \(id)-desc\""))
        }
        #expect(html.contains(">352 Manchester</text>") && html.contains(">2023-24</text>") && html.contains(">13</text>"))
        #expect(!html.contains("http://") && !html.contains("<script"))
        // The JSON carries the ledger's rows too, and reads back the same.
        #expect(try JSONDecoder().decode(DPOReport.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func anEmptyWarehouseDrawsNoChart() {
        let report = DPOReport(generatedAt: "t", warehouse: "w", schemaVersion: "v", loadSchemaVersions: [], currentLoads: 0,
                               keyFingerprints: [], profile: .init(id: "full", title: "Full", description: "d", source: nil, viewsLeftOut: []),
                               tables: [], droppedFields: [], rowCounts: [], k: 5, risks: [],
                               scan: .init(tables: 0, columns: 0, values: 0, hits: []), laNames: [:])
        #expect(report.rowsPerLAChart.isEmpty && report.rowsPerTableChart.isEmpty && report.loadedRowsOverTimeChart.isEmpty)
        #expect(!DPOReportHTML.render(report).contains("<svg"))
    }
}
