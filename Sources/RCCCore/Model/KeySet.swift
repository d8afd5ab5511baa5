import Foundation

/// A set of key digests whose memory stays flat however many keys a return holds: keys are kept in
/// memory up to `threshold`, then written out as a sorted run (`SpillRuns`) in a private folder and
/// looked up there, memory starting again empty.
public final class KeySet {
    private var memory = Set<KeyHash>()
    private let disk: SpillRuns
    let threshold: Int

    /// - Parameter folder: where runs go (the run's private folder); the system's temporary folder when nil.
    public init(threshold: Int = 400_000, folder: String? = nil) {
        self.threshold = threshold
        disk = SpillRuns(folder: folder ?? NSTemporaryDirectory())
    }

    public var isOnDisk: Bool { !disk.isEmpty }

    /// Adds a key; returns whether it was new.
    public func insert(_ key: KeyHash) -> Bool {
        if memory.contains(key) || (!disk.isEmpty && disk.contains(key.value)) { return false }
        memory.insert(key)
        if memory.count > threshold {
            let sorted = memory.map(\.value).sorted()
            // A run that cannot be written leaves the keys in memory: right answers before flat memory.
            if disk.add(count: sorted.count, { writer in for key in sorted { writer.append(key, EmptyCollection()) } }) {
                memory.removeAll(keepingCapacity: true)
            }
        }
        return true
    }

    public func contains(_ key: KeyHash) -> Bool {
        memory.contains(key) || (!disk.isEmpty && disk.contains(key.value))
    }
}
