import Foundation
import Load
import LoadPostgres
import LoadSQLite
import RCCCore
import RCCTestSupport
import Reports
import Testing
import Transform

/// The DPO report on every warehouse engine: SQLite always, PostgreSQL when one is configured.
@Suite struct DPOReportTests {
    typealias Engine = TestWarehouses.Engine

    let catalog = TestSupport.catalog
    let folder: URL

    /// Synthetic identifiers planted into the warehouse: the report must count them and never show them.
    static let plantedUPN = "L352200024123"
    static let plantedPostcode = "M1 1AE"
    static let plantedDate = "03/04/2015"

    init() throws { folder = try TestSupport.temporaryFolder("rcc-dpo") }

    func withWarehouse(_ engine: Engine, _ body: (any Warehouse, String) async throws -> Void) async throws {
        let location = try TestWarehouses.fresh(engine, in: folder)
        let warehouse: any Warehouse = switch engine {
        case .sqlite: try SQLiteWarehouse(path: location)
        case .postgres: try await PostgresWarehouse.connect(url: location)
        }
        do {
            try await warehouse.prepare(catalog)
            try await body(warehouse, location)
        } catch {
            await warehouse.close()
            throw error
        }
        await warehouse.close()
    }

    func batch(_ table: String, la: String, _ rows: [[String: SQLValue]]) throws -> RowBatch {
        let table = try #require(catalog.regionalTable(table))
        return RowBatch(table: table, rows: rows.map { values in
            table.columns.map { column in
                switch column.name {
                case "la": .text(la)
                case "collection_year": .integer(2025)
                case "collection": .text("ssda903")
                default: values[column.name] ?? .null
                }
            }
        })
    }

    /// Loads one return of `la` holding `batches`, under a key with `fingerprint`.
    func load(_ warehouse: any Warehouse, la: String, fingerprint: String = "sha256:aaaa", _ batches: [RowBatch]) async throws {
        let key = ReturnKey(la: la, collection: "ssda903", year: 2025)
        let load = try await warehouse.beginLoad(key)
        for batch in batches { try await load.insert(batch) }
        let rows = batches.reduce(0) { $0 + $1.rows.count }
        try await load.commit(LedgerEntry(key: key, sourceSHA256: "d-\(la)", sourcesJSON: "[]", rowsRead: rows, rowsLoaded: rows,
                                          rowsQuarantined: 0, findings: 0, keyFingerprint: fingerprint,
                                          schemaVersion: catalog.version, runID: "t", loadedAt: "now"))
    }

    func child(_ id: String, dob: String, sex: String, ethnic: String) -> [String: SQLValue] {
        ["child": .text(id), "dob_month": .text(dob), "sex": .text(sex), "ethnic": .text(ethnic)]
    }

    @Test(arguments: TestWarehouses.engines)
    func scanCountsPlantedIdentifiersWithoutShowingThem(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse, location in
            try await load(warehouse, la: "352", [
                try batch("children", la: "352", (1...3).map { child("c\($0)", dob: "2015-03-01", sex: "M", ethnic: "WBRI") }),
                try batch("care_episodes", la: "352", [["child": .text("c1"), "decom": .text("2024-05-01"), "place": .text("K2"),
                                                        "home_post_sector": .text("M1 1")]]),
            ])
            let clean = try await DPOReport.compute(warehouse: warehouse, catalog: catalog)
            #expect(clean.scan.clean && clean.scan.values > 0)

            _ = try TestWarehouses.sql(location, "UPDATE children SET ethnic = '\(Self.plantedUPN)' WHERE child = 'c1'")
            _ = try TestWarehouses.sql(location, "UPDATE children SET mother = 'upn \(Self.plantedUPN.lowercased())' WHERE child IN ('c2', 'c3')")
            _ = try TestWarehouses.sql(location, "UPDATE care_episodes SET place_provider = '\(Self.plantedPostcode)'")
            _ = try TestWarehouses.sql(location, """
                INSERT INTO quarantine (load_id, table_name, source, row_number, field, rule_id, severity, reason)
                VALUES (1, 'ssda903.header', 'in/h.csv', 2, 'DOB', 'r', 'error', 'DOB \(Self.plantedDate) is wrong')
                """)

            let report = try await DPOReport.compute(warehouse: warehouse, catalog: catalog)
            #expect(!report.clean)
            let hits = Dictionary(uniqueKeysWithValues: report.scan.hits.map { ("\($0.table).\($0.column)", $0) })
            #expect(hits["children.ethnic"]?.upn == 1)
            #expect(hits["children.mother"]?.upn == 2)
            #expect(hits["care_episodes.place_provider"]?.postcode == 1)
            #expect(hits["quarantine.reason"]?.dateOfBirth == 1)
            #expect(hits.count == 4)
            #expect(report.scan.upn == 3 && report.scan.postcode == 1 && report.scan.dateOfBirth == 1)

            let encoder = JSONEncoder()
            let json = String(decoding: try encoder.encode(report), as: UTF8.self)
            let html = DPOReportHTML.render(report)
            for text in [json, html] {
                for planted in [Self.plantedUPN, Self.plantedUPN.lowercased(), Self.plantedPostcode, "M11AE", Self.plantedDate] {
                    let shown = text.contains(planted)
                    #expect(!shown, "the report shows the planted value \(planted)")
                }
            }
            #expect(html.contains("care_episodes") && html.contains("place_provider"))
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func countsRecordsInGroupsSmallerThanKOverTheQuasiIdentifiers(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse, _ in
            // LA 352: a group of 5, a group of 2 (same month, other sex) and a group of 1 (blank ethnicity).
            var rows = (1...5).map { child("a\($0)", dob: "2015-03-01", sex: "M", ethnic: "WBRI") }
            rows += (1...2).map { child("b\($0)", dob: "2015-03-01", sex: "F", ethnic: "WBRI") }
            rows.append(["child": .text("c1"), "dob_month": .text("2015-03-01"), "sex": .text("M")])
            try await load(warehouse, la: "352", [try batch("children", la: "352", rows)])
            // LA 350 (another key): the same values as the group of 5, but another LA, so another group.
            try await load(warehouse, la: "350", fingerprint: "sha256:bbbb",
                           [try batch("children", la: "350", (1...2).map { child("a\($0)", dob: "2015-03-01", sex: "M", ethnic: "WBRI") })])
            // A replaced version's rows are not counted.
            try await load(warehouse, la: "350", fingerprint: "sha256:bbbb",
                           [try batch("children", la: "350", (1...3).map { child("a\($0)", dob: "2015-03-01", sex: "M", ethnic: "WBRI") })])

            let report = try await DPOReport.compute(warehouse: warehouse, catalog: catalog)
            let children = try #require(report.risks.first { $0.table == "children" })
            #expect(children.quasiIdentifiers == ["la", "dob_month", "sex", "ethnic"])
            #expect(children.records == 11 && children.groups == 4)
            #expect(children.groupsSmallerThanK == 3 && children.recordsInGroupsSmallerThanK == 6)
            #expect(children.smallestGroup == 1)
            let episodes = try #require(report.risks.first { $0.table == "care_episodes" })
            #expect(episodes.quasiIdentifiers == ["la", "home_post_sector"] && episodes.records == 0 && episodes.smallestGroup == nil)

            let k2 = try await DPOReport.compute(warehouse: warehouse, catalog: catalog, k: 2)
            let children2 = try #require(k2.risks.first { $0.table == "children" })
            #expect(k2.k == 2 && children2.groupsSmallerThanK == 1 && children2.recordsInGroupsSmallerThanK == 1)

            #expect(report.rowCounts.filter { $0.table == "children" }.map { "\($0.la):\($0.rows)" } == ["350:3", "352:8"])
            #expect(report.currentLoads == 2)
            #expect(report.keyFingerprints == [.init(fingerprint: "sha256:aaaa", loads: 1), .init(fingerprint: "sha256:bbbb", loads: 1)])
            #expect(report.loadSchemaVersions == [.init(version: catalog.version, loads: 2)])
            #expect(report.clean)
            // The JSON reads back as the same report, and carries the scan's verdict.
            let data = try JSONEncoder().encode(report)
            #expect(try JSONDecoder().decode(DPOReport.self, from: data) == report)
            #expect(String(decoding: data, as: UTF8.self).contains("\"clean\":true"))
            let html = DPOReportHTML.render(report)
            #expect(html.contains("sha256:aaaa") && html.contains("sha256:bbbb") && html.contains("different keys"))
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func queryReadsTextIntegersAndDatesAndRefusesWrites(engine: Engine) async throws {
        try await withWarehouse(engine) { warehouse, location in
            try await load(warehouse, la: "352", [try batch("children", la: "352", [child("c1", dob: "2015-03-01", sex: "M", ethnic: "WBRI")])])
            let rows = try await warehouse.query("SELECT child, dob_month, collection_year, upn, COUNT(*) FROM children GROUP BY child, dob_month, collection_year, upn")
            #expect(rows == [[.text("c1"), .text("2015-03-01"), .integer(2025), .null, .integer(1)]])
            await #expect(throws: (any Error).self) { _ = try await warehouse.query("DELETE FROM children") }
            #expect(try TestWarehouses.sql(location, "SELECT COUNT(*) FROM children") == "1")
            // The warehouse is still usable after a refused statement.
            #expect(try await warehouse.query("SELECT COUNT(*) FROM children") == [[.integer(1)]])
        }
    }

    @Test func listsEveryRegionalColumnWithItsTreatment() async throws {
        try await withWarehouse(.sqlite) { warehouse, _ in
            let report = try await DPOReport.compute(warehouse: warehouse, catalog: catalog)
            let html = DPOReportHTML.render(report)
            #expect(report.tables.map(\.name) == catalog.regionalTables.map(\.table))
            #expect(report.tables.allSatisfy(\.inProfile) && report.profile.id == "full")
            // Free text and staff ids are read and checked but never loaded, and the report says so.
            let dropped = Set(report.droppedFields.map { "\($0.input).\($0.field)" })
            #expect(dropped.contains("ssda903.sw_episodes.SW_ID"))
            #expect(!dropped.contains("ssda903.header.CHILD") && !dropped.contains("ssda903.header.DOB"))
            #expect(html.contains("SW_ID") && html.contains("Input fields not loaded"))
            for table in catalog.regionalTables {
                let reported = try #require(report.tables.first { $0.name == table.table })
                #expect(reported.columns.map(\.name) == table.columns.map(\.name))
                for (column, row) in zip(table.columns, reported.columns) {
                    #expect(row.treatment == column.treatment.rawValue)
                    #expect(row.description == column.description)
                    #expect(html.contains(DPOReportHTML.e(column.description)))
                }
            }
            let upn = try #require(report.tables.first { $0.name == "children" }?.columns.first { $0.name == "upn" })
            #expect(upn.treatmentDetail.hasPrefix("pseudonymised in namespace upn"))
            let child = try #require(report.tables.first { $0.name == "children" }?.columns.first { $0.name == "child" })
            #expect(child.treatmentDetail == "pseudonymised in namespace la-child")
            #expect(report.schemaVersion == catalog.version && html.contains(catalog.version))
            #expect(report.currentLoads == 0 && report.keyFingerprints.isEmpty && report.clean)
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func findsRawLAChildIDsGivenTheKeyAndOnlyForTheirOwnLA(engine: Engine) async throws {
        let key = try PseudonymKey(bytes: Array(repeating: 7, count: 32))
        let pseudonymiser = Pseudonymiser(key: key)
        let p = { (id: String, la: String) in pseudonymiser.pseudonym(id, namespace: .laChild, la: la) }
        try await withWarehouse(engine) { warehouse, location in
            try await load(warehouse, la: "352", fingerprint: key.fingerprint, [
                try batch("children", la: "352", ["C1001", "C1002"].map { child(p($0, "352"), dob: "2015-03-01", sex: "M", ethnic: "WBRI") }),
            ])
            try await load(warehouse, la: "350", fingerprint: key.fingerprint, [
                try batch("children", la: "350", [child(p("Z77", "350"), dob: "2015-03-01", sex: "M", ethnic: "WBRI")]),
            ])
            let clean = try await DPOReport.compute(warehouse: warehouse, catalog: catalog, pseudonymiser: pseudonymiser,
                                                    keyFingerprint: key.fingerprint)
            #expect(clean.clean && clean.scan.childIDsChecked && clean.scan.childPseudonyms == 3)

            // LA 352's raw id in a 352 row, alone and inside text; LA 350's id in a 352 row is not 352's child.
            _ = try TestWarehouses.sql(location, "UPDATE children SET ethnic = 'C1001' WHERE la = '352'")
            _ = try TestWarehouses.sql(location, "UPDATE children SET mother = 'see c1002 file' WHERE la = '352'")
            _ = try TestWarehouses.sql(location, "UPDATE children SET sex = 'Z77' WHERE la = '352'")
            let report = try await DPOReport.compute(warehouse: warehouse, catalog: catalog, pseudonymiser: pseudonymiser,
                                                     keyFingerprint: key.fingerprint)
            let hits = Dictionary(uniqueKeysWithValues: report.scan.hits.map { ("\($0.table).\($0.column)", $0) })
            #expect(hits["children.ethnic"]?.childID == 2)
            #expect(hits["children.mother"]?.childID == 2)
            #expect(hits["children.sex"] == nil)
            #expect(!report.clean && report.scan.childID == 4)
            let text = String(decoding: try JSONEncoder().encode(report), as: UTF8.self) + DPOReportHTML.render(report)
            #expect(!text.contains("C1001") && !text.contains("c1002") && !text.contains("C1002"))

            // Without the key the check is not run, and the report says so; with another key, likewise.
            let without = try await DPOReport.compute(warehouse: warehouse, catalog: catalog)
            #expect(!without.scan.childIDsChecked && without.scan.childIDCheck.contains("no key"))
            let other = try PseudonymKey(bytes: Array(repeating: 9, count: 32))
            let wrong = try await DPOReport.compute(warehouse: warehouse, catalog: catalog, pseudonymiser: Pseudonymiser(key: other),
                                                    keyFingerprint: other.fingerprint)
            #expect(!wrong.scan.childIDsChecked && wrong.scan.childIDCheck.contains("not the key"))
        }
    }

    @Test func recognisesIdentifierShapesAndNotTheWarehouseOwnValues() {
        #expect(IdentifierShapes.find(in: "L352200024123").upn)
        #expect(IdentifierShapes.find(in: "child l352200024123 here").upn)
        #expect(!IdentifierShapes.find(in: "L352200024124").upn)          // wrong check letter
        #expect(IdentifierShapes.find(in: "M1 1AE").postcode)
        #expect(IdentifierShapes.find(in: "sw1a2aa").postcode)
        #expect(IdentifierShapes.find(in: "lives at M1  1AE, Manchester").postcode)
        #expect(IdentifierShapes.find(in: "03/04/2015").dateOfBirth)
        #expect(IdentifierShapes.find(in: "born 3/4/2015.").dateOfBirth)
        #expect(!IdentifierShapes.find(in: "13/13/2015").dateOfBirth)
        for value in ["M1 1", "M1", "2015-03-01", "0123456789abcdef0123456789abcdef", "ssda903.header.DOB.date",
                      "DOB is not a valid date in dd/mm/yyyy.", "samples/357/903 return 2425/CLA episodes export.csv",
                      "UN1", "WBRI", "K2", "SC123456", "dfe.ssda903.356", "123/45/67890"] {
            #expect(IdentifierShapes.find(in: value) == IdentifierShapes.Found(), "\(value)")
        }
    }

    @Test func escapesEverythingItShows() {
        let report = DPOReport(generatedAt: "t", warehouse: "<script>alert(1)</script>", schemaVersion: "v\"",
                               loadSchemaVersions: [], currentLoads: 0, keyFingerprints: [.init(fingerprint: "f&<", loads: 1)],
                               profile: .init(id: "p<", title: "T<i>", description: "d&", source: "s'", viewsLeftOut: ["v<"]),
                               tables: [.init(name: "x<y", description: "a <b> & 'c'", inProfile: false, columns: [])],
                               droppedFields: [.init(input: "i<", field: "f>", title: "t&")], rowCounts: [], k: 5,
                               risks: [], scan: .init(tables: 0, columns: 0, values: 0, hits: []), laNames: [:])
        let html = DPOReportHTML.render(report)
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
        #expect(html.contains("f&amp;&lt;") && html.contains("a &lt;b&gt; &amp; &#39;c&#39;") && html.contains("x&lt;y"))
        #expect(html.contains("T&lt;i&gt;") && html.contains("p&lt;") && html.contains("i&lt;") && html.contains("f&gt;"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("src="))
    }
}
