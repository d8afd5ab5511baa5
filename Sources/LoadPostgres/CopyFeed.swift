import Logging
import NIOCore
import PostgresNIO
import RCCCore

/// A load's rows on their way into PostgreSQL, over one connection.
///
/// Rows gather by table, encoded, and go to the server as one `COPY … FROM STDIN` of about `chunkBytes`.
/// That COPY runs in the background while the load goes on and the next chunk gathers, so the server
/// inserts one chunk while rcc reads, checks and maps the rows of the next. (A COPY per 4,096-row batch,
/// waited for before the next batch, left each side idle while the other worked.) When a chunk is ready
/// and the COPY before it is still running, the load waits for it: at most one chunk is in flight.
///
/// Each COPY is written in one piece, on a connection with nothing else in flight. postgres-nio 1.33
/// drops a write that waits for the connection to drain when the server fails the COPY meanwhile (the
/// write then never returns), so a COPY kept open across several writes could hang a load on any error
/// of the server's; a single write never waits.
///
/// Rows of all tables together wait at most `waitingBytes` (the largest table's go first beyond that), in
/// buffers that grow by doubling: at most twice that is allocated, and one chunk more is in flight.
/// `flush()` sends every waiting row and waits for the server to take them: the warehouse calls it before
/// any other statement, commit included. A table's rows reach the server in the order they were given.
///
/// Not for concurrent use: a load gives it one batch at a time.
final class CopyFeed: @unchecked Sendable {
    /// Where rows go: a table, and the columns its COPY names (in the order each row gives them).
    struct Target: Hashable {
        var table: String
        var columns: [String]
    }

    static let chunkBytes = 1 << 20
    static let waitingBytes = 4 << 20

    private let connection: PostgresConnection
    private let logger: Logger
    private var waiting: [Target: ByteBuffer] = [:]
    /// Targets in the order their rows first waited, so that a flush sends them in the order given.
    private var waitingOrder: [Target] = []
    private var waitingTotal = 0
    /// The COPY the server is running, if any.
    private var inFlight: Task<Void, any Error>?

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Whether no rows wait and no COPY runs: only then may the connection run something else.
    var isIdle: Bool { inFlight == nil && waiting.isEmpty }

    /// Takes rows (COPY text, whole lines) for a table; they go once `chunkBytes` of the table's wait.
    func send(_ rows: ByteBuffer, to target: Target) async throws {
        var rows = rows
        if waiting[target] == nil {
            waiting[target] = ByteBufferAllocator().buffer(capacity: rows.readableBytes)
            waitingOrder.append(target)
        }
        waitingTotal += rows.readableBytes
        waiting[target]!.writeBuffer(&rows)
        if waiting[target]!.readableBytes >= Self.chunkBytes {
            try await ship(target)
        } else if waitingTotal >= Self.waitingBytes,
                  let largest = waiting.max(by: { $0.value.readableBytes < $1.value.readableBytes })?.key {
            try await ship(largest)
        }
    }

    /// Sends every waiting row and waits for the server to have inserted all of them; rethrows its error.
    func flush() async throws {
        while let target = waitingOrder.first { try await ship(target) }
        try await settle()
    }

    /// Drops waiting rows and waits for a COPY in flight to end (the load is being rolled back).
    func abandon() async {
        waiting = [:]
        waitingOrder = []
        waitingTotal = 0
        if let inFlight {
            self.inFlight = nil
            _ = await inFlight.result
        }
    }

    /// A target's waiting rows to the server, in a COPY of their own once the one before has ended.
    private func ship(_ target: Target) async throws {
        guard let rows = waiting.removeValue(forKey: target) else { return }
        waitingOrder.removeAll { $0 == target }
        waitingTotal -= rows.readableBytes
        try await settle()
        let connection = self.connection, logger = self.logger
        inFlight = Task { try await Self.copy(rows, into: target, connection: connection, logger: logger) }
    }

    /// Waits for the COPY in flight, if any; rethrows its error.
    private func settle() async throws {
        guard let inFlight else { return }
        self.inFlight = nil
        try await inFlight.value
    }

    private static func copy(_ rows: ByteBuffer, into target: Target, connection: PostgresConnection, logger: Logger) async throws {
        let doing = "copying rows into \(target.table)"
        do {
            try await ConnectionGuard.run(connection, doing: doing) {
                try await connection.copyFrom(table: target.table, columns: target.columns, logger: logger) { writer in
                    // On the connection's event loop, so that nothing can end the connection between the
                    // check and the write (see EventLoopTaskExecutor).
                    try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                        connection.eventLoop.assertInEventLoop()
                        if connection.isClosed { throw ConnectionGuard.lost(doing) }
                        try await writer.write(rows)
                    }
                }
            }
        } catch {
            throw PostgresWarehouse.describe(error, doing: doing)
        }
    }
}
