import Logging
import NIOCore
import PostgresNIO
import RCCCore

/// A load's rows on their way into PostgreSQL, over one connection.
///
/// One `COPY … FROM STDIN` stays open while batches of its table follow each other. Each batch is written
/// into it and the load goes on: the server inserts one batch while rcc reads, checks and maps the next.
/// (A COPY per batch made rcc wait for the server at every batch, and the server wait for rcc in between:
/// neither was ever busy.) The connection's flow control holds rcc back when the server falls behind.
///
/// A connection runs one COPY at a time. A batch for another table waits, encoded, with that table's
/// other waiting rows, until they make `chunkBytes` (or all tables' waiting rows make `waitingBytes`);
/// then the open COPY ends and that table's opens. `flush()` sends every waiting row and ends the open
/// COPY: the warehouse calls it before any other statement, so that nothing queues behind an open COPY.
/// A table's rows reach the server in the order they were given.
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
    private var open: CopyStream?
    private var waiting: [Target: ByteBuffer] = [:]
    /// Targets in the order their rows first waited, so that a flush sends them in the order given.
    private var waitingOrder: [Target] = []

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Whether a COPY is open or rows wait: then the connection can run nothing else until `flush()`.
    var isIdle: Bool { open == nil && waiting.isEmpty }

    /// Sends rows (COPY text, whole lines) to a table: at once if its COPY is open or none is, else once
    /// enough of its rows wait.
    func send(_ rows: ByteBuffer, to target: Target) async throws {
        if let open, open.target == target {
            try await write(rows, into: open)
            return
        }
        if open == nil && waiting.isEmpty {
            try await write(rows, into: stream(to: target))
            return
        }
        if waiting[target] == nil {
            waiting[target] = ByteBuffer()
            waitingOrder.append(target)
        }
        var rows = rows
        waiting[target]!.writeBuffer(&rows)
        if waiting[target]!.readableBytes >= Self.chunkBytes {
            try await sendWaiting(target)
        } else if waiting.values.reduce(0, { $0 + $1.readableBytes }) >= Self.waitingBytes,
                  let largest = waiting.max(by: { $0.value.readableBytes < $1.value.readableBytes })?.key {
            try await sendWaiting(largest)
        }
    }

    /// Sends every waiting row and ends the open COPY, waiting for the server to take all of them.
    func flush() async throws {
        while let target = waitingOrder.first { try await sendWaiting(target) }
        if let open {
            self.open = nil
            try await open.end()
        }
    }

    /// Drops waiting rows and fails the open COPY (the load is being rolled back).
    func abandon() async {
        waiting = [:]
        waitingOrder = []
        if let open {
            self.open = nil
            await open.abandon()
        }
    }

    /// A target's waiting rows into its COPY, which stays open for the batches that follow.
    private func sendWaiting(_ target: Target) async throws {
        guard let rows = waiting.removeValue(forKey: target) else { return }
        waitingOrder.removeAll { $0 == target }
        try await write(rows, into: stream(to: target))
    }

    /// A write that fails has failed its COPY too: it is no longer the open one.
    private func write(_ rows: ByteBuffer, into stream: CopyStream) async throws {
        do {
            try await stream.write(rows)
        } catch {
            if open === stream { open = nil }
            throw error
        }
    }

    /// The open COPY into a target, ending another that is open first.
    private func stream(to target: Target) async throws -> CopyStream {
        if let open {
            if open.target == target { return open }
            self.open = nil
            try await open.end()
        }
        let stream = try await CopyStream.start(target, connection: connection, logger: logger)
        open = stream
        return stream
    }
}

/// One `COPY … FROM STDIN` held open between writes.
///
/// postgres-nio's `copyFrom` keeps a COPY open only while its closure runs, so the closure runs in a task
/// of its own: it hands its writer out and waits to be told to end (its closure returns, and postgres-nio
/// sends `CopyDone` and waits for the server) or to fail (it throws, and postgres-nio sends `CopyFail`).
final class CopyStream: Sendable {
    let target: CopyFeed.Target
    private let connection: PostgresConnection
    private let writer: PostgresCopyFromWriter
    private let ending: AsyncStream<Bool>.Continuation
    private let copying: Task<Void, any Error>

    private struct Abandoned: Error {}

    private init(target: CopyFeed.Target, connection: PostgresConnection, writer: PostgresCopyFromWriter,
                 ending: AsyncStream<Bool>.Continuation, copying: Task<Void, any Error>) {
        self.target = target
        self.connection = connection
        self.writer = writer
        self.ending = ending
        self.copying = copying
    }

    var doing: String { "copying rows into \(target.table)" }

    static func start(_ target: CopyFeed.Target, connection: PostgresConnection, logger: Logger) async throws -> CopyStream {
        let doing = "copying rows into \(target.table)"
        let (writers, handOut) = AsyncStream<PostgresCopyFromWriter>.makeStream()
        let (endings, ending) = AsyncStream<Bool>.makeStream()
        let copying = Task {
            defer { handOut.finish() }
            do {
                try await ConnectionGuard.run(connection, doing: doing) {
                    try await connection.copyFrom(table: target.table, columns: target.columns, logger: logger) { writer in
                        handOut.yield(writer)
                        handOut.finish()
                        // Ends with the COPY ended (true), failed or abandoned (false, or the stream finished).
                        var told = endings.makeAsyncIterator()
                        guard await told.next() == true else { throw Abandoned() }
                    }
                }
            } catch {
                throw PostgresWarehouse.describe(error, doing: doing)
            }
        }
        var handedOut = writers.makeAsyncIterator()
        guard let writer = await handedOut.next() else {
            // The COPY did not start: its task says why.
            ending.finish()
            try await copying.value
            throw RCCError(.warehouse, "PostgreSQL warehouse: the COPY did not start (while \(doing))")
        }
        return CopyStream(target: target, connection: connection, writer: writer, ending: ending, copying: copying)
    }

    /// Writes rows into the COPY; returns once they are handed to the connection (not yet inserted).
    func write(_ rows: ByteBuffer) async throws {
        let connection = self.connection, writer = self.writer, doing = self.doing
        do {
            try await ConnectionGuard.run(connection, doing: doing) {
                // On the connection's event loop, so that nothing can end the connection between the
                // check and the write (see EventLoopTaskExecutor).
                try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                    connection.eventLoop.assertInEventLoop()
                    if connection.isClosed { throw ConnectionGuard.lost(doing) }
                    try await writer.write(rows)
                }
            }
        } catch {
            // Fail the COPY too, so that the connection leaves copy mode.
            await abandon()
            throw PostgresWarehouse.describe(error, doing: doing)
        }
    }

    /// Ends the COPY and waits for the server to have inserted every row written; rethrows its error.
    func end() async throws {
        ending.yield(true)
        ending.finish()
        try await copying.value
    }

    /// Fails the COPY (the server discards its rows) and waits for the connection to leave copy mode.
    func abandon() async {
        ending.yield(false)
        ending.finish()
        _ = await copying.result
    }
}
