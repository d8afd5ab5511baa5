import Foundation
import RCCCore

/// A bounded hand-over of record batches from a reading thread to the loading task: the reader blocks
/// when `capacity` batches wait (so memory stays bounded), the loader suspends when none do. Reading and
/// parsing thus run on one core while validation and loading run on the other.
final class BatchSink: @unchecked Sendable {
    typealias Batch = (leaf: Leaf, spec: InputSpec, records: [Record])

    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var waiting: CheckedContinuation<Batch?, any Error>?
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int
    private(set) var seen: Set<String> = []
    private(set) var encodings: [Int: String] = [:]
    /// What the reader found worth telling about a leaf (by leaf index), beyond its rows.
    private(set) var notes: [Int: [String]] = [:]

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Called by the reader: queues a batch, waiting while the queue is full.
    func put(_ batch: Batch) throws {
        condition.lock()
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw CancellationError()
        }
        if let continuation = waiting {
            waiting = nil
            condition.unlock()
            continuation.resume(returning: batch)
            return
        }
        queue.append(batch)
        condition.unlock()
    }

    func markSeen(_ path: String) { condition.withLock { _ = seen.insert(path) } }
    func note(_ index: Int, encoding: String) { condition.withLock { encodings[index] = encoding } }
    func note(_ index: Int, _ text: String) { condition.withLock { notes[index, default: []].append(text) } }

    /// Called by the reader when it is done, with the error that stopped it, if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        let continuation = waiting
        waiting = nil
        condition.unlock()
        if let error { continuation?.resume(throwing: error) } else { continuation?.resume(returning: nil) }
    }

    /// Called by the loader if it fails: the reader stops at its next batch.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, nil when the reader is done; rethrows the reader's error.
    func next() async throws -> Batch? {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            if !queue.isEmpty {
                let batch = queue.removeFirst()
                condition.signal()
                condition.unlock()
                continuation.resume(returning: batch)
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
