import Foundation

/// What a spill store (`KeySet`, `LookupStore`) moves out of memory: sorted runs of (key digest, payload)
/// in files of a private folder, unlinked as soon as they are open, so nothing of them outlives the
/// process, even a killed one.
///
/// A store fills memory up to its threshold, then writes what it holds as one run, sorted by key, and
/// starts again (a log-structured merge, as LevelDB and RocksDB keep their tables). Each run keeps in
/// memory a Bloom filter of its keys (10 bits a key: about one look-up in a hundred for a key it does not
/// hold reads the file) and the first key of every 512 bytes of it, so a look-up of a key it may hold is one
/// `pread` of about 512 bytes and a walk of a few dozen records (the first key of every 4 KiB, as before,
/// meant walking some 200 records a look-up: 3.4% of a 2,000,000-row ingest). The index costs 16 bytes
/// in memory a block, 3% of the run's size. The last block read is kept, since rows of one child come
/// together. When `fanIn` runs of a size have gathered, they are merged into one run of the next size: a
/// key is rewritten only a few times however large the return grows, and there are never more than a few
/// runs to look in.
///
/// The spill B-trees this replaces (SQLite, keyed by digest) turned every insert into a random page
/// write once the table outgrew its cache: 36 s of a 118 s ingest of 2,000,000 Episodes rows.
final class SpillRuns {
    private let folder: String
    /// Oldest first; a newer run's entry for a key hides an older one's.
    private var runs: [Run] = []
    static let fanIn = 4
    static let blockBytes = 512

    init(folder: String) {
        self.folder = folder
    }

    var isEmpty: Bool { runs.isEmpty }
    var runCount: Int { runs.count }

    /// Writes `entries` (sorted by key, each key once) as the newest run; returns false (and keeps
    /// nothing) when the file cannot be made or written, so the caller keeps its entries in memory.
    func add(count: Int, _ entries: (inout RunWriter) -> Void) -> Bool {
        guard var writer = RunWriter(folder: folder, expected: count) else { return false }
        entries(&writer)
        guard let run = writer.finish(level: 0) else { return false }
        runs.append(run)
        compact()
        return true
    }

    /// The newest payload for `key`, or nil when no run holds it.
    func payload(_ key: UInt64) -> [UInt8]? {
        for run in runs.reversed() {
            if let found = run.find(key) { return found }
        }
        return nil
    }

    func contains(_ key: UInt64) -> Bool {
        runs.reversed().contains { $0.find(key) != nil }
    }

    /// Merges the newest runs while `fanIn` of them are of one level. The runs of a level are always the
    /// newest ones of that level or above, so merging the last `fanIn` keeps the oldest-first order.
    private func compact() {
        while runs.count >= Self.fanIn {
            let tail = runs.suffix(Self.fanIn)
            guard let level = tail.first?.level, tail.allSatisfy({ $0.level == level }) else { return }
            guard let merged = Self.merge(Array(tail), folder: folder, level: level + 1) else { return }
            runs.removeLast(Self.fanIn)
            runs.append(merged)
        }
    }

    /// One run holding every key of `inputs` (oldest first) once, with the newest input's payload.
    private static func merge(_ inputs: [Run], folder: String, level: Int) -> Run? {
        guard var writer = RunWriter(folder: folder, expected: inputs.reduce(0) { $0 + $1.count }) else { return nil }
        var scanners = inputs.map(RunScanner.init)
        var heads = scanners.indices.map { scanners[$0].next() }
        while true {
            var smallest: UInt64?
            for head in heads { if let head, head.key < smallest ?? .max || smallest == nil { smallest = head.key } }
            guard let key = smallest else { break }
            var newest: [UInt8] = []
            for i in heads.indices where heads[i]?.key == key {
                newest = heads[i]!.payload   // later inputs are newer: the last one equal wins
                heads[i] = scanners[i].next()
            }
            writer.append(key, newest)
        }
        return writer.finish(level: level)
    }
}

/// Writes one run: records `key (8 bytes, little-endian) · payload length (varint) · payload`, in key order.
struct RunWriter {
    private let file: SpillFile
    private var blockStart = 0
    private var firstKeys: [UInt64] = []
    private var blockOffsets: [Int] = []
    private var bloom: Bloom
    private var count = 0

    fileprivate init?(folder: String, expected: Int) {
        guard let file = SpillFile(folder: folder) else { return nil }
        self.file = file
        bloom = Bloom(expected: expected)
    }

    mutating func append(_ key: UInt64, _ payload: some Collection<UInt8>) {
        let at = file.size
        if count == 0 || at - blockStart >= SpillRuns.blockBytes {
            firstKeys.append(key)
            blockOffsets.append(at)
            blockStart = at
        }
        withUnsafeBytes(of: key.littleEndian) { file.append($0) }
        file.append(varint: payload.count)
        file.append(payload)
        bloom.insert(key)
        count += 1
    }

    fileprivate func finish(level: Int) -> Run? {
        guard file.flush() else { return nil }
        return Run(file: file, level: level, count: count, bloom: bloom, firstKeys: firstKeys, blockOffsets: blockOffsets)
    }
}

/// One sorted run on disk, with its Bloom filter and block index in memory.
private final class Run {
    let file: SpillFile
    let level: Int
    let count: Int
    private let bloom: Bloom
    private let firstKeys: [UInt64]
    private let blockOffsets: [Int]
    /// The last block read, by its number.
    private var cachedBlock = -1
    private var cache: [UInt8] = []

    init(file: SpillFile, level: Int, count: Int, bloom: Bloom, firstKeys: [UInt64], blockOffsets: [Int]) {
        self.file = file
        self.level = level
        self.count = count
        self.bloom = bloom
        self.firstKeys = firstKeys
        self.blockOffsets = blockOffsets
    }

    func find(_ key: UInt64) -> [UInt8]? {
        guard bloom.mayContain(key), let first = firstKeys.first, key >= first else { return nil }
        // The last block whose first key is not above `key`.
        var low = 0, high = firstKeys.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if firstKeys[mid] <= key { low = mid } else { high = mid - 1 }
        }
        if cachedBlock != low {
            let start = blockOffsets[low], end = low + 1 < blockOffsets.count ? blockOffsets[low + 1] : file.size
            file.read(into: &cache, at: start, count: end - start)
            cachedBlock = low
        }
        var at = 0
        while case let (found, payload, next)? = Self.record(in: cache, at: at) {
            if found == key { return Array(cache[payload]) }
            if found > key { return nil }
            at = next
        }
        return nil
    }

    /// The record at `at`: its key, where its payload lies and where the next record starts; nil when
    /// `bytes` ends before the record does.
    static func record(in bytes: [UInt8], at: Int) -> (key: UInt64, payload: Range<Int>, next: Int)? {
        guard at + 8 < bytes.count, let (length, start) = Varint.read(bytes, at: at + 8),
              start + length <= bytes.count else { return nil }
        var key: UInt64 = 0
        for i in 0..<8 { key |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        return (key, start..<start + length, start + length)
    }
}

/// Reads a run from its start, record by record: for merging.
private struct RunScanner {
    private var scanner: SpillScanner

    init(_ run: Run) { scanner = SpillScanner(run.file) }

    mutating func next() -> (key: UInt64, payload: [UInt8])? {
        guard scanner.fill({ bytes, at in Run.record(in: bytes, at: at).map { $0.next - at } }),
              case let (key, payload, next)? = Run.record(in: scanner.buffer, at: scanner.at) else { return nil }
        scanner.advance(to: next)
        return (key, Array(scanner.buffer[payload]))
    }
}

/// A Bloom filter over 64-bit digests (already uniform: the bit positions are taken from the digest itself,
/// by double hashing).
private struct Bloom {
    private var words: [UInt64]
    /// The number of bits less one: a power of two, so a position is a mask, not a division.
    private let mask: UInt64
    private static let probes = 7

    /// At least 10 bits a key, rounded up to a power of two.
    init(expected: Int) {
        var bits = 1_024
        while bits < expected * 10 { bits *= 2 }
        words = Array(repeating: 0, count: bits / 64)
        mask = UInt64(bits - 1)
    }

    /// The second hash of double hashing: odd, so the probes differ.
    private static func step(_ key: UInt64) -> UInt64 { ((key >> 32) | (key << 32)) &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func insert(_ key: UInt64) {
        let step = Self.step(key)
        var position = key
        for _ in 0..<Self.probes {
            let p = Int(position & mask)
            words[p >> 6] |= 1 << UInt64(p & 63)
            position &+= step
        }
    }

    func mayContain(_ key: UInt64) -> Bool {
        let step = Self.step(key)
        var position = key
        return words.withUnsafeBufferPointer { words in
            for _ in 0..<Self.probes {
                let p = Int(position & mask)
                if words[p >> 6] & (1 << UInt64(p & 63)) == 0 { return false }
                position &+= step
            }
            return true
        }
    }
}
