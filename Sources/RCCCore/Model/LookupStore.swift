import Foundation

/// The few raw fields a table's rows are looked up by (a child's DOB, by child), kept flat in memory up
/// to `threshold` rows, then written out as a sorted run (`SpillRuns`) in the run's private folder, memory
/// starting again empty. The runs' files are unlinked as soon as they are open, so they never outlive the
/// process, even a killed one, and never leave the private folder: these are raw values. Without a
/// folder, nothing spills.
///
/// Once filled, it may be read (`get`) from several threads at once (the sequence rules' workers read last
/// year's return): reads change nothing in memory, and those that go to disk, which keep the rows lately
/// read, take `diskLock`. Adding (`set`) is for one thread, with no reads at the same time.
public final class LookupStore: @unchecked Sendable {
    private let width: Int
    /// Past how many rows in memory they are written out: the threshold, unless writing failed.
    private var spillAt: Int
    private var index: [KeyHash: Int32] = [:]
    /// The rows' values, `chunkRows` rows a chunk: one flat array would, each time it grows, hold its old
    /// and its new copy at once (tens of megabytes at the threshold), where a new chunk is only a chunk.
    private var chunks: [[String?]] = []
    private var count = 0
    private static let chunkRows = 4_096
    private let disk: SpillRuns?
    /// Rows lately read from disk (or found missing there), in two generations: when the newer one fills
    /// it becomes the older and the oldest go. Validation and then mapping read a batch's children's rows
    /// one after the other, a batch apart; keeping one row only, each was read from disk twice.
    private var recent: [UInt64: [UInt8]?] = [:]
    private var older: [UInt64: [UInt8]?] = [:]
    static let recentRows = 4_096
    private let diskLock = NSLock()

    public init(width: Int, spillFolder: String?, threshold: Int = 100_000) {
        self.width = max(width, 1)
        spillAt = threshold
        disk = spillFolder.map(SpillRuns.init)
    }

    public var isOnDisk: Bool { !(disk?.isEmpty ?? true) }

    /// Sets the row of `key`, replacing any earlier one (a row given short of the width is blank in the rest).
    public func set(_ key: KeyHash, _ row: [String?]) {
        let at: Int
        if let known = index[key] {
            at = Int(known)
        } else {
            at = count
            index[key] = Int32(at)
            count += 1
            if at % Self.chunkRows == 0 {
                chunks.append([])
                chunks[chunks.count - 1].reserveCapacity(Self.chunkRows * width)
            }
            chunks[chunks.count - 1].append(contentsOf: repeatElement(nil, count: width))
        }
        let start = (at % Self.chunkRows) * width
        for field in 0..<width { chunks[at / Self.chunkRows][start + field] = field < row.count ? row[field] : nil }
        if index.count > spillAt { spill() }
    }

    public func get(_ key: KeyHash, field: Int) -> String? {
        if let at = index[key].map(Int.init) { return chunks[at / Self.chunkRows][(at % Self.chunkRows) * width + field] }
        return onDisk(key) { $0.flatMap { Self.field(field, of: $0) } }
    }

    /// Whether a row of `key` was set.
    public func contains(_ key: KeyHash) -> Bool {
        index[key] != nil || onDisk(key) { $0 != nil }
    }

    /// `read` of the row of `key` on disk (nil when there is none).
    private func onDisk<T>(_ key: KeyHash, _ read: ([UInt8]?) -> T) -> T {
        guard let disk, !disk.isEmpty else { return read(nil) }
        diskLock.lock()
        defer { diskLock.unlock() }
        // A row is asked for several times (whether the child is in the header, then its DOB for several
        // rules, then again by mapping): rows lately read are kept.
        if let row = recent[key.value] { return read(row) }
        let row = older[key.value] ?? disk.payload(key.value)
        if recent.count >= Self.recentRows {
            older = recent
            recent = Dictionary(minimumCapacity: Self.recentRows)
        }
        recent[key.value] = row
        return read(row)
    }

    /// Writes the rows in memory as one run, sorted by key; memory starts again empty. A run that cannot be
    /// written leaves them in memory.
    private func spill() {
        guard let disk else { return }
        let keys = index.sorted { $0.key.value < $1.key.value }
        var payload: [UInt8] = []
        let written = disk.add(count: keys.count) { writer in
            for (key, at) in keys {
                payload.removeAll(keepingCapacity: true)
                let start = (Int(at) % Self.chunkRows) * width
                for value in chunks[Int(at) / Self.chunkRows][start..<start + width] { Self.append(value, to: &payload) }
                writer.append(key.value, payload)
            }
        }
        guard written else {
            // Not tried again until memory has doubled: not once a row.
            spillAt = index.count * 2
            return
        }
        recent = [:]
        older = [:]
        index.removeAll(keepingCapacity: true)
        chunks = []
        count = 0
    }

    /// A field in a run's payload: each field its length plus one (a varint; 0 for blank), then its bytes.
    private static func append(_ value: String?, to payload: inout [UInt8]) {
        guard var value else { payload.append(0); return }
        value.withUTF8 { bytes in
            Varint.append(bytes.count + 1, to: &payload)
            payload.append(contentsOf: bytes)
        }
    }

    private static func field(_ wanted: Int, of payload: [UInt8]) -> String? {
        var at = 0, field = 0
        while let (length, start) = Varint.read(payload, at: at) {
            if field == wanted { return length == 0 ? nil : String(decoding: payload[start..<start + length - 1], as: UTF8.self) }
            at = start + max(length - 1, 0)
            field += 1
        }
        return nil
    }
}
