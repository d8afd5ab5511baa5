import CSQLite

/// One table in a scratch SQLite database that only this process uses: no journal, no syncing, a small
/// cache, one long transaction, and two prepared statements (a write and a read). What the spill
/// stores (`KeySet`, `LookupStore`) keep on disk once memory would grow too far.
final class ScratchTable {
    let db: OpaquePointer
    let write: OpaquePointer
    let read: OpaquePointer

    /// - Parameters:
    ///   - path: the database file, or "" for SQLite's private temporary file (removed on close).
    ///   - afterOpen: run once the file is open (to unlink it, say).
    init?(path: String, create: String, write writeSQL: String, read readSQL: String, afterOpen: () -> Void = {}) {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            afterOpen()
            return nil
        }
        db = handle
        for statement in ["PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -4096", create] {
            sqlite3_exec(db, statement, nil, nil, nil)
        }
        afterOpen()
        sqlite3_exec(db, "BEGIN", nil, nil, nil)
        var w: OpaquePointer?, r: OpaquePointer?
        sqlite3_prepare_v2(db, writeSQL, -1, &w, nil)
        sqlite3_prepare_v2(db, readSQL, -1, &r, nil)
        guard let w, let r else {
            sqlite3_finalize(w)
            sqlite3_finalize(r)
            sqlite3_close(db)
            return nil
        }
        write = w
        read = r
    }

    deinit {
        sqlite3_finalize(write)
        sqlite3_finalize(read)
        sqlite3_close(db)
    }
}
