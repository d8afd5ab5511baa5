import Foundation
import RCCCore

/// A bounded hand-over from a thread to a task: the thread blocks in `put` when `capacity` elements wait
/// (so memory stays bounded), the task suspends in `next` when none do.
class HandOver<Element: Sendable>: @unchecked Sendable {
    let condition = NSCondition()
    private var queue: [Element] = []
    private var waiting: CheckedContinuation<Element?, any Error>?
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Called by the thread: queues an element, waiting while the queue is full; throws once the task has
    /// cancelled.
    func put(_ element: Element) throws {
        condition.lock()
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw CancellationError()
        }
        if let continuation = waiting {
            waiting = nil
            condition.unlock()
            continuation.resume(returning: element)
            return
        }
        queue.append(element)
        condition.unlock()
    }

    /// Called by the thread when it is done, with the error that stopped it, if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        let continuation = waiting
        waiting = nil
        condition.unlock()
        if let error { continuation?.resume(throwing: error) } else { continuation?.resume(returning: nil) }
    }

    /// Called by the task if it fails: the thread stops at its next `put`.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, nil when the thread is done; rethrows the thread's error.
    func next() async throws -> Element? {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            if !queue.isEmpty {
                let element = queue.removeFirst()
                condition.signal()
                condition.unlock()
                continuation.resume(returning: element)
            } else if finished {
                let error = failure
                condition.unlock()
                if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
            } else {
                waiting = continuation
                condition.signal()
                condition.unlock()
            }
        }
    }
}
