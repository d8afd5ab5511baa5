import ArgumentParser
import Load
import LoadPostgres
import LoadSQLite
import RCCCore

/// Opens the warehouse `--warehouse` names (a SQLite file, or a PostgreSQL URL), runs `body`, and
/// closes it however `body` ends. A failure to open or in `body` is printed and ends rcc with status 1,
/// or 64 (usage) when it is a matter of what was asked (a profile the warehouse was not made with).
func withWarehouse<T>(_ location: WarehouseLocation, _ body: (any Warehouse) async throws -> T) async throws -> T {
    let store: any Warehouse
    do {
        switch location {
        case .sqlite(let path): store = try SQLiteWarehouse(path: path)
        case .postgres(let url): store = try await PostgresWarehouse.connect(url: url)
        }
    } catch {
        printError("rcc: \(error)")
        throw ExitCode.failure
    }
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        printError("rcc: \(error)")
        if let error = error as? RCCError, error.code == .usage { throw ExitCode(ExitStatus.usage) }
        throw ExitCode.failure
    }
}
