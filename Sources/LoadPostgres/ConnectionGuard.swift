import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import RCCCore

/// Runs warehouse work so that a connection the server drops always ends it with an error.
///
/// The work runs in its own task and races the connection's close; whichever comes first resumes
/// the caller. This is needed because postgres-nio 1.33's `copyFrom` can leak its continuation when
/// the backend goes away mid-COPY, leaving the work suspended for ever; a task group would wait for
/// it, so the stuck task is abandoned instead (it holds no lock, and the process ends soon after).
enum ConnectionGuard {
    static func run<T: Sendable>(_ connection: PostgresConnection, doing: String,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        if connection.isClosed { throw lost(doing) }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(continuation)
            @Sendable func finish(_ result: Result<T, any Error>) {
                pending.withLockedValue { value in
                    defer { value = nil }
                    return value
                }?.resume(with: result)
            }
            let task = Task {
                do { finish(.success(try await body())) } catch { finish(.failure(error)) }
            }
            connection.closeFuture.whenComplete { _ in
                finish(.failure(lost(doing)))
                task.cancel()
            }
        }
    }

    static func lost(_ doing: String) -> RCCError {
        RCCError(.warehouse, "lost the connection to the PostgreSQL warehouse while \(doing); nothing of this load was kept")
    }
}
