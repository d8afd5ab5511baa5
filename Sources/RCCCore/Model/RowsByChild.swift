import Foundation

/// Rows added in any order, given back child by child (children in byte order of their key), each child's
/// rows in the order they were added: an external merge sort. Rows are kept in memory, packed in one byte
/// buffer, up to `memoryBudget` bytes; past it, they are sorted and written as a run to an unlinked file
/// of the run's private folder (`SpillFile`), and the runs are merged as they are read back. A return of
/// the size a real LA sends never leaves memory; one of any size is gone through in flat memory.
///
/// This replaced an SQLite scratch table read `ORDER BY child`: binding every cell as text, SQLite's own
/// row format and its sorter's temporary files cost more than the rules the rows were sorted for.
public final class RowsByChild {
    private let folder: String
    private let memoryBudget: Int
    /// The rows in memory: each `child · payload`, where `entries` says.
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Sorted runs on disk, in the order written: among rows of one child, an earlier run's come first.
    private var runs: [SpillFile] = []
    /// Past how many bytes in memory the rows are written out: the budget, unless writing failed.
    private var spillAt: Int

    private struct Entry {
        var offset: Int
        var childLength: Int32
        var payloadLength: Int32
        /// The child's first 8 bytes, big-endian, zeros past its end: entries whose prefixes differ are in
        /// the order of their prefixes, so sorting compares the children's bytes only when these are equal
        /// (about never for pseudonyms, whose 32 hex digits are random).
        var prefix: UInt64
    }

    /// The first 8 bytes of `key`, big-endian, zeros past its end.
    private static func prefix(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(i < key.count ? key[i] : 0) }
        return value
    }

    /// The rows of one child, as `forEachChild` gives them: each row's payload, in the order added.
    public struct Rows {
        public fileprivate(set) var bytes: [UInt8] = []
        public fileprivate(set) var ranges: [Range<Int>] = []

        public var count: Int { ranges.count }

        /// Calls `body` with each row's payload, in order.
        public func forEach(_ body: (UnsafeRawBufferPointer) -> Void) {
            bytes.withUnsafeBytes { all in
                for range in ranges { body(UnsafeRawBufferPointer(rebasing: all[range])) }
            }
        }

        fileprivate mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
        }

        fileprivate mutating func append(_ payload: UnsafeRawBufferPointer) {
            ranges.append(bytes.count..<bytes.count + payload.count)
            bytes.append(contentsOf: payload)
        }
    }

    public init(folder: String, memoryBudget: Int = 16 << 20) {
        self.folder = folder
        self.memoryBudget = memoryBudget
        spillAt = memoryBudget
    }

    /// Whether rows have gone to disk.
    public var hasSpilled: Bool { !runs.isEmpty }

    /// Adds a row of `child`; `payload` is the row, as the caller encodes it.
    public func add(child: String, payload: [UInt8]) {
        // The whole budget at once: grown by doubling, the buffer would hold its old and new copy at once
        // and end up to twice the budget. Pages not yet written take no memory.
        if arena.capacity == 0 {
            arena.reserveCapacity(memoryBudget)
            entries.reserveCapacity(memoryBudget / 64)
        }
        var child = child
        child.withUTF8 { key in
            entries.append(Entry(offset: arena.count, childLength: Int32(key.count), payloadLength: Int32(payload.count),
                                 prefix: Self.prefix(key)))
            arena.append(contentsOf: key)
        }
        arena.append(contentsOf: payload)
        if arena.count + entries.count * MemoryLayout<Entry>.stride >= spillAt && !spill() {
            // Kept in memory (right answers before flat memory), and not tried again until it has doubled.
            spillAt *= 2
        }
    }

    /// Puts the entries in order, in place: by child, then as added (a later row lies further into `arena`).
    private func sortEntries() {
        arena.withUnsafeBytes { bytes in
            entries.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let order = Self.compare(bytes, x.offset, Int(x.childLength), bytes, y.offset, Int(y.childLength))
                return order != 0 ? order < 0 : x.offset < y.offset
            }
        }
    }

    private static func compare(_ a: UnsafeRawBufferPointer, _ aStart: Int, _ aLength: Int,
                                _ b: UnsafeRawBufferPointer, _ bStart: Int, _ bLength: Int) -> Int {
        let common = min(aLength, bLength)
        let order = common == 0 ? 0 : memcmp(a.baseAddress! + aStart, b.baseAddress! + bStart, common)
        return order != 0 ? Int(order) : aLength - bLength
    }

    /// Writes the rows in memory as one sorted run: `child length · child · payload length · payload`. A run
    /// that cannot be written leaves them in memory (false).
    private func spill() -> Bool {
        guard let file = SpillFile(folder: folder) else { return false }
        sortEntries()
        arena.withUnsafeBytes { bytes in
            for entry in entries {
                let child = Int(entry.childLength), payload = Int(entry.payloadLength)
                file.append(varint: child)
                file.append(UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<entry.offset + child]))
                file.append(varint: payload)
                file.append(UnsafeRawBufferPointer(rebasing: bytes[entry.offset + child..<entry.offset + child + payload]))
            }
        }
        guard file.flush() else { return false }
        runs.append(file)
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        return true
    }

    /// Calls `body` once a child, with its key and its rows in the order added. Throws when rows that
    /// must join those on disk cannot be written there too (a full disk), or rethrows what `body` throws,
    /// which stops the walk there.
    public func forEachChild(_ body: (String, Rows) throws -> Void) throws {
        var rows = Rows()
        if runs.isEmpty {
            sortEntries()
            let sorted = entries
            try arena.withUnsafeBytes { bytes in
                var i = 0
                while i < sorted.count {
                    let first = sorted[i]
                    rows.removeAll()
                    var j = i
                    while j < sorted.count, Self.compare(bytes, first.offset, Int(first.childLength),
                                                         bytes, sorted[j].offset, Int(sorted[j].childLength)) == 0 {
                        let start = sorted[j].offset + Int(sorted[j].childLength)
                        rows.append(UnsafeRawBufferPointer(rebasing: bytes[start..<start + Int(sorted[j].payloadLength)]))
                        j += 1
                    }
                    try body(String(decoding: bytes[first.offset..<first.offset + Int(first.childLength)], as: UTF8.self), rows)
                    i = j
                }
            }
        } else {
            guard entries.isEmpty || spill() else {
                throw RCCError(.io, "the run's private folder \(folder) would not take the sequence rules' rows (is the disk full?)")
            }
            var heads = runs.map(RunReader.init)
            var live = heads.indices.filter { heads[$0].advance() }
            while !live.isEmpty {
                // The smallest child among the runs' next rows; among equals, the earliest run's first.
                var smallest = live[0]
                for i in live.dropFirst() where heads[i].compareChild(to: heads[smallest]) < 0 { smallest = i }
                let child = heads[smallest].child
                rows.removeAll()
                for i in live where heads[i].child == child {
                    while heads[i].child == child {
                        heads[i].payload { rows.append($0) }
                        if !heads[i].advance() { break }
                    }
                }
                try body(String(decoding: child, as: UTF8.self), rows)
                live = live.filter { !heads[$0].finished }
            }
        }
    }

    /// A run read from its start, one row at a time.
    private struct RunReader {
        private var scanner: SpillScanner
        private(set) var child: [UInt8] = []
        private var payloadRange: Range<Int> = 0..<0
        private(set) var finished = false

        init(_ file: SpillFile) { scanner = SpillScanner(file) }

        /// Moves to the next row; false (and finished) at the end.
        mutating func advance() -> Bool {
            let whole = scanner.fill { bytes, at in RunReader.record(bytes, at).map { $0.next - at } }
            guard whole, let record = RunReader.record(scanner.buffer, scanner.at) else {
                finished = true
                child = []
                return false
            }
            child = Array(scanner.buffer[record.child])
            payloadRange = record.payload
            scanner.advance(to: record.next)
            return true
        }

        func payload(_ body: (UnsafeRawBufferPointer) -> Void) {
            scanner.buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[payloadRange])) }
        }

        func compareChild(to other: RunReader) -> Int {
            child.withUnsafeBytes { a in
                other.child.withUnsafeBytes { b in RowsByChild.compare(a, 0, a.count, b, 0, b.count) }
            }
        }

        static func record(_ bytes: [UInt8], _ at: Int) -> (child: Range<Int>, payload: Range<Int>, next: Int)? {
            guard let (childLength, childStart) = Varint.read(bytes, at: at),
                  let (payloadLength, payloadStart) = Varint.read(bytes, at: childStart + childLength),
                  payloadStart + payloadLength <= bytes.count else { return nil }
            return (childStart..<childStart + childLength, payloadStart..<payloadStart + payloadLength, payloadStart + payloadLength)
        }
    }
}
