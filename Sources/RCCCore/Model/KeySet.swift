import Foundation

/// A set of key digests whose memory stays flat however many keys a return holds: keys are kept in
/// memory up to `threshold`, then written out as a sorted run (`SpillRuns`) in a private folder and
/// looked up there, memory starting again empty.
public final class KeySet {
    private var memory = Set<KeyHash>()
    private let disk: SpillRuns
    let threshold: Int
    /// Past how many keys in memory they are written out: `threshold`, unless writing failed.
    private var spillAt: Int

    /// - Parameter folder: where runs go (the run's private folder); the system's temporary folder when nil.
    public init(threshold: Int = 400_000, folder: String? = nil) {
        self.threshold = threshold
        spillAt = threshold
        disk = SpillRuns(folder: folder ?? NSTemporaryDirectory())
    }

    public var isOnDisk: Bool { !disk.isEmpty }

    /// Adds a key; returns whether it was new.
    public func insert(_ key: KeyHash) -> Bool {
        // A key on disk is never in memory too: it is refused here before memory sees it.
        if !disk.isEmpty && disk.contains(key.value) { return false }
        guard memory.insert(key).inserted else { return false }
        if memory.count > spillAt {
            let sorted = memory.map(\.value).sorted()
            if disk.add(count: sorted.count, { writer in for key in sorted { writer.append(key, EmptyCollection()) } }) {
                memory.removeAll(keepingCapacity: true)
            } else {
                // A run that cannot be written leaves the keys in memory (right answers before flat memory),
                // and is not tried again until memory has doubled: not once a key.
                spillAt = memory.count * 2
            }
        }
        return true
    }

    public func contains(_ key: KeyHash) -> Bool {
        memory.contains(key) || (!disk.isEmpty && disk.contains(key.value))
    }
}
