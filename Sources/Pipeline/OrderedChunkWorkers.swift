import Foundation

/// Runs `work` on chunks on worker threads while the caller goes on making the next chunks, and hands
/// each chunk's result back on the caller's thread in the order the chunks were given: the caller sees
/// the results as if it had run `work` on each chunk itself, one after another.
///
/// - `submit` gives a chunk; `finish` says there are no more. Both call `deliver` (on the caller's thread,
///   never two at once) with every result that is ready and next in order.
/// - At most `window` chunks are given and not yet delivered: `submit` waits for the oldest when that many
///   are, so memory stays bounded whatever the size of the input.
/// - With no workers (one core), or when only one chunk is ever given (a small return), `work` runs on the
///   caller's thread and no thread is started.
///
/// Chunks move between threads under one lock, once a chunk each way: chunks should be big enough that
/// this is nothing beside `work`.
final class OrderedChunkWorkers<Input: Sendable, Output: Sendable> {
    private let workers: Int
    private let window: Int
    /// How much the worker threads add to their nice value (Linux: one per thread; elsewhere nothing).
    private let niceness: Int32
    private let work: @Sendable (Input) -> Output
    private let shared = Shared()
    /// The first chunk, kept back until a second comes (then threads start) or `finish` (then it runs here).
    private var first: Input?
    private var started = false
    private var submitted = 0
    private var delivered = 0

    /// What the threads share, read and written only with `condition` held.
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        /// Chunks given and not yet taken by a worker, with their place in the order given.
        var queue: [(index: Int, input: Input)] = []
        /// Results not yet delivered, by their chunk's place in the order.
        var results: [Int: Output] = [:]
        var closed = false
        var running = 0
    }

    /// - Parameters:
    ///   - workers: threads to start (0: run every chunk on the caller's thread).
    ///   - window: most chunks given and not yet delivered (at least `workers + 1`).
    ///   - niceness: how much less than the rest of the process the worker threads ask of the CPU, as a
    ///     nice value added to their own (Linux keeps one per thread; 0 leaves them as they are). The caller's
    ///     thread, which also runs `work` when there are no workers, keeps its own.
    init(workers: Int, window: Int, niceness: Int32 = 0, work: @escaping @Sendable (Input) -> Output) {
        self.workers = max(workers, 0)
        self.window = max(window, self.workers + 1)
        self.niceness = niceness
        self.work = work
    }

    deinit {
        // A caller that stopped early (without `finish`) must not leave threads waiting for chunks.
        shared.condition.withLock {
            shared.closed = true
            shared.condition.broadcast()
        }
    }

    /// Gives the next chunk; delivers what results are ready, waiting for the oldest when `window` are out.
    func submit(_ input: Input, deliver: (Output) -> Void) {
        guard workers > 0 else { deliver(work(input)); return }
        submitted += 1
        if !started {
            guard let held = first else { first = input; return }
            first = nil
            start()
            enqueue(held, at: 0)
        }
        enqueue(input, at: submitted - 1)
        deliverReady(until: { $0.submitted - $0.delivered < $0.window }, deliver)
    }

    /// Delivers every result still to come, then lets the threads go.
    func finish(deliver: (Output) -> Void) {
        if let held = first {
            first = nil
            delivered += 1
            deliver(work(held))
        }
        guard started else { return }
        deliverReady(until: { $0.delivered == $0.submitted }, deliver)
        shared.condition.withLock {
            shared.closed = true
            shared.condition.broadcast()
            while shared.running > 0 { shared.condition.wait() }
        }
    }

    private func start() {
        started = true
        let shared = self.shared, work = self.work, niceness = self.niceness
        shared.condition.withLock { shared.running = workers }
        for _ in 0..<workers {
            let thread = Thread {
                // Named from inside: Linux keeps 15 bytes of a name, and names only a started thread.
                Thread.current.name = "rcc worker"
                #if canImport(Glibc)
                // `who` 0 is the calling thread on Linux, whose nice value is the thread's own. Raising it
                // needs no privilege; should it fail, the thread runs as it is.
                if niceness != 0 {
                    let which = __priority_which_t(PRIO_PROCESS.rawValue)
                    _ = setpriority(which, 0, getpriority(which, 0) + niceness)
                }
                #endif
                while true {
                    shared.condition.lock()
                    while shared.queue.isEmpty && !shared.closed { shared.condition.wait() }
                    if shared.queue.isEmpty {
                        shared.running -= 1
                        shared.condition.broadcast()
                        shared.condition.unlock()
                        return
                    }
                    let (index, input) = shared.queue.removeFirst()
                    shared.condition.unlock()
                    let output = work(input)
                    shared.condition.withLock {
                        shared.results[index] = output
                        shared.condition.broadcast()
                    }
                }
            }
            thread.start()
        }
    }

    private func enqueue(_ input: Input, at index: Int) {
        shared.condition.withLock {
            shared.queue.append((index, input))
            shared.condition.broadcast()
        }
    }

    /// Delivers the results that are next in order as they are ready, waiting for them until `done`.
    private func deliverReady(until done: (OrderedChunkWorkers) -> Bool, _ deliver: (Output) -> Void) {
        while true {
            shared.condition.lock()
            while shared.results[delivered] == nil && !done(self) { shared.condition.wait() }
            guard let output = shared.results.removeValue(forKey: delivered) else {
                shared.condition.unlock()
                return
            }
            shared.condition.unlock()
            delivered += 1
            deliver(output)
        }
    }
}
