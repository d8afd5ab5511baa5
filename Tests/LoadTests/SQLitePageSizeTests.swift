import Foundation
import LoadSQLite
import RCCTestSupport
import Testing

/// A new warehouse file is made with 16 KiB pages; a file made before (in WAL mode with 4 KiB pages, as
/// earlier rcc made them) keeps its own and is prepared and read as ever.
@Suite struct SQLitePageSizeTests {
    let folder: URL

    init() throws { folder = try TestSupport.temporaryFolder("rcc-page-size") }

    @Test func aNewWarehouseHas16KiBPagesInWALMode() async throws {
        let path = try TestWarehouses.fresh(.sqlite, in: folder)
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(TestSupport.catalog)
        await warehouse.close()
        #expect(try TestWarehouses.sql(path, "PRAGMA page_size") == "16384")
        #expect(try TestWarehouses.sql(path, "PRAGMA journal_mode") == "wal")
        #expect(try TestWarehouses.sql(path, "PRAGMA integrity_check") == "ok")
    }

    @Test func anExistingWarehouseKeepsItsPageSize() async throws {
        let path = try TestWarehouses.fresh(.sqlite, in: folder)
        _ = try TestWarehouses.sql(path, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE made_before (x); INSERT INTO made_before VALUES (1)")
        let warehouse = try SQLiteWarehouse(path: path)
        try await warehouse.prepare(TestSupport.catalog)
        await warehouse.close()
        #expect(try TestWarehouses.sql(path, "PRAGMA page_size") == "4096")
        #expect(try TestWarehouses.sql(path, "SELECT x FROM made_before") == "1")
        #expect(try TestWarehouses.sql(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'loads'") == "1")
    }
}
