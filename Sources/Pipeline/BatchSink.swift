import Foundation
import RCCCore

/// The hand-over of record batches from a reading thread to the loading task: reading and parsing thus run
/// on one core while validation and loading run on the other. It also keeps what the reader found out
/// about the leaves besides their rows.
final class BatchSink: HandOver<BatchSink.Batch>, @unchecked Sendable {
    typealias Batch = (leaf: Leaf, spec: InputSpec, records: [Record])

    private(set) var seen: Set<String> = []
    private(set) var encodings: [Int: String] = [:]
    /// What the reader found worth telling about a leaf (by leaf index), beyond its rows.
    private(set) var notes: [Int: [String]] = [:]

    func markSeen(_ path: String) { condition.withLock { _ = seen.insert(path) } }
    func note(_ index: Int, encoding: String) { condition.withLock { encodings[index] = encoding } }
    func note(_ index: Int, _ text: String) { condition.withLock { notes[index, default: []].append(text) } }
}
