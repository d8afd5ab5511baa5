import NIOCore

/// Runs a task's jobs on a NIO event loop. Code under `withTaskExecutorPreference(EventLoopTaskExecutor(loop))`
/// runs on the loop's own thread, between the loop's other work, so postgres-nio sees it as "in the event
/// loop" and acts on it at once, in the same turn of the loop as the code before it.
///
/// Used for the COPY writes: postgres-nio 1.33 traps (`preconditionFailure("Copy mode is only supported for
/// extended queries")`) instead of failing a `PostgresCopyFromWriter.write` that reaches the loop after the
/// server has ended the connection (killed, `pg_terminate_backend`). Checking `isClosed` and starting the
/// write in one turn of the loop removes the widest window (the hop from a pool thread to the loop). It does
/// not close every one: postgres-nio's own `done()` after the write, and a write that waits for the channel
/// to become writable, reach the loop later and trap the same way if the server ends the connection just
/// then. Only a postgres-nio that fails those calls instead of trapping closes them.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
