import Foundation
@testable import Pipeline
import RCCCore
import RCCTestSupport
import Testing
import Validate

/// The sequence rules at the end of a return, run on worker threads a chunk of children at a time, give
/// exactly the findings (the same, in the same order) and counts that one thread going child by child gives.
@Suite struct SequenceFindingsTests {
    /// A cell of `field` as the store keeps it (ISO dates, codes), often one that breaks a rule, sometimes blank.
    static func value(of field: FieldSpec, child: String, catalog: SchemaCatalog, _ rng: inout SeededGenerator) -> String? {
        if field.name == "CHILD" { return child }
        if Int.random(in: 0..<8, using: &rng) == 0 { return nil }
        switch field.type {
        case .date:
            return CivilDate(year: Int.random(in: 2023...2026, using: &rng), month: Int.random(in: 1...12, using: &rng),
                             day: Int.random(in: 1...28, using: &rng))!.iso
        case .code:
            let codes = catalog.codeLists[field.codelist ?? ""]?.codes.map(\.code) ?? []
            return codes.randomElement(using: &rng) ?? "X"
        case .postcode:
            return ["M1 1AE", "M14 5RT", "SK1 3XE", "OL1 1AA"].randomElement(using: &rng)
        default:
            return ["0", "1", "2", "15", "A", "Z"].randomElement(using: &rng)
        }
    }

    /// A return of `children` children of `collection` (each with a few rows of every table the rules
    /// read), put into a store in no particular order of children, with last year's rows for some of them.
    static func store(_ collection: String, children: Int, plan: SequenceRules.Plan, previous: PreviousReturn?,
                      catalog: SchemaCatalog) throws -> SequenceStore {
        let folder = try TestSupport.temporaryFolder("sequence-findings").path
        let store = SequenceStore(folder: folder, width: plan.width)
        var rng = SeededGenerator(seed: 2025)
        var rowNumbers: [String: Int] = [:]
        let tables = plan.indexes.keys.sorted()
        for n in (0..<children).shuffled(using: &rng) {
            let child = "C\(n)"
            // The pseudonym orders the children otherwise than their ids.
            let pseudonym = String(UInt64(n).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15).low, radix: 16)
            for (t, table) in tables.enumerated() {
                guard let input = catalog.input(table) else { continue }
                let kept = plan.indexes[table] ?? []
                for _ in 0..<Int.random(in: 0...(t == 0 ? 5 : 2), using: &rng) {
                    rowNumbers[table, default: 0] += 1
                    store.add(child: pseudonym, table: table, source: "\(collection)/\(table).csv", row: rowNumbers[table]!,
                              leaf: t % 3, cells: kept.map { value(of: input.fields[$0], child: child, catalog: catalog, &rng) })
                }
                if let previous, previous.tables.contains(table), n % 2 == 0 {
                    for _ in 0..<Int.random(in: 1...2, using: &rng) {
                        let row = Dictionary(uniqueKeysWithValues: input.fields.map {
                            ($0.name, value(of: $0, child: child, catalog: catalog, &rng))
                        })
                        previous.add(table: table, child: child) { row[$0] ?? nil }
                    }
                }
            }
        }
        return store
    }

    /// Every sequence rule of the collection (last year's and the postcodes' included), an empty last
    /// year to add to, and a postcode directory of two postcodes.
    static func fixture(_ collection: String, year: Int) throws
        -> (catalog: SchemaCatalog, plan: SequenceRules.Plan, previous: PreviousReturn, postcodes: PostcodeDirectory) {
        let catalog = TestSupport.catalog
        let key = ReturnKey(la: "352", collection: collection, year: year)
        let plan = try SequenceRules.Plan(catalog: catalog, collection: collection, year: year, available: ["previous-year", "postcodes"])
        let previous = PreviousReturn.forRules(of: catalog, checking: key, spillFolder: nil)
        let postcodes = PostcodeDirectory()
        postcodes.add(postcode: "M1 1AE", place: .init(district: "E08000003", county: nil, easting: 384_000, northing: 398_000))
        postcodes.add(postcode: "SK1 3XE", place: .init(district: "E08000007", county: nil, easting: 389_000, northing: 390_000))
        return (catalog, plan, previous, postcodes)
    }

    @Test(arguments: [("ssda903", 2025), ("cin", 2025)])
    func workerThreadsGiveTheSerialFindingsInOrder(collection: String, year: Int) throws {
        let (catalog, plan, previous, postcodes) = try Self.fixture(collection, year: year)
        #expect(!plan.isEmpty)
        let store = try Self.store(collection, children: 2_000, plan: plan, previous: previous, catalog: catalog)
        let checker = SequenceChecker(plan: plan, period: CollectionPeriod(year: year), returned: store.tables,
                                      collection: collection, previous: previous, postcodes: postcodes)

        func run(workers: Int, chunkSize: Int) -> (findings: [(diagnostic: Diagnostic, child: String?)], counts: [Int]) {
            var summary = (0..<3).map { RunSummary.Source(path: "leaf \($0)") }
            var findings: [(diagnostic: Diagnostic, child: String?)] = []
            try! ReturnLoader.sequenceFindings(in: store, checker: checker, workers: workers, chunkSize: chunkSize,
                                               summary: &summary) { batch in
                // Handed over as they come, never all at once.
                #expect(!batch.isEmpty && batch.count <= ReturnLoader.findingsBatch)
                findings += batch
            }
            return (findings, summary.map(\.findings))
        }
        // A load that fails stops the rules, and its error comes back (checked against the whole below).
        struct LoadFailed: Error {}
        var summary = (0..<3).map { RunSummary.Source(path: "leaf \($0)") }
        var calls = 0
        #expect(throws: LoadFailed.self) {
            try ReturnLoader.sequenceFindings(in: store, checker: checker, workers: 2, chunkSize: 7, summary: &summary) { _ in
                calls += 1
                throw LoadFailed()
            }
        }
        #expect(calls == 1)
        // One thread, the whole return as one chunk: what the rules give child by child.
        let serial = run(workers: 0, chunkSize: .max)
        // The rules stopped there: findings were counted for the first batch and the few chunks already
        // with the workers (two workers, five chunks of seven children out at most), not the whole return.
        #expect(serial.findings.count > ReturnLoader.findingsBatch + 500)
        #expect(summary.map(\.findings).reduce(0, +) < ReturnLoader.findingsBatch + 500)
        #expect(serial.findings.count > 1_000)
        #expect(Set(serial.findings.compactMap(\.child)).count > 500)
        if collection == "ssda903" {
            // Among them, those of rules reading last year's return (the look-ups the worker threads share).
            let needs = Dictionary(catalog.rules.map { ($0.id, $0.needs ?? []) }, uniquingKeysWith: { first, _ in first })
            #expect(serial.findings.contains { needs[$0.diagnostic.ruleID]?.contains("previous-year") ?? false })
        }
        for (workers, chunkSize) in [(2, 7), (3, 64), (1, 1), (4, 512)] {
            let parallel = run(workers: workers, chunkSize: chunkSize)
            #expect(parallel.counts == serial.counts, "\(workers) workers, \(chunkSize) children a chunk")
            #expect(parallel.findings.count == serial.findings.count, "\(workers) workers, \(chunkSize) children a chunk")
            let firstDifference = zip(parallel.findings, serial.findings).enumerated()
                .first { $0.element.0.diagnostic != $0.element.1.diagnostic || $0.element.0.child != $0.element.1.child }?.offset
            #expect(firstDifference == nil, "\(workers) workers, \(chunkSize) children a chunk")
        }
    }
}

/// Results come back in the order the chunks were given, whichever worker finishes first, with at most
/// `window` chunks out at once.
@Suite struct OrderedChunkWorkersTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var most = 0
        func begin() { lock.withLock { running += 1; most = max(most, running) } }
        func end() { lock.withLock { running -= 1 } }
    }

    @Test(arguments: [0, 1, 2, 5])
    func resultsComeBackInOrder(workers: Int) {
        let counter = Counter()
        let pool = OrderedChunkWorkers<Int, [Int]>(workers: workers, window: 2 * workers + 1) { n in
            counter.begin()
            defer { counter.end() }
            // Later chunks are quicker, so they finish before earlier ones.
            usleep(UInt32((n * 7919) % 5) * 200)
            return [n, n * n]
        }
        var out: [[Int]] = []
        var outstanding = 0, mostOutstanding = 0
        for n in 0..<300 {
            outstanding += 1
            mostOutstanding = max(mostOutstanding, outstanding)
            pool.submit(n) { out.append($0); outstanding -= 1 }
        }
        pool.finish { out.append($0); outstanding -= 1 }
        #expect(out == (0..<300).map { [$0, $0 * $0] })
        #expect(outstanding == 0)
        #expect(mostOutstanding <= 2 * workers + 2)
        #expect(counter.most <= max(workers, 1))
    }

    #if canImport(Glibc)
    /// The workers stand back by the nice value asked (Linux: each thread its own); the caller's thread,
    /// and the rest of the process, keep theirs.
    @Test func workersTakeTheirNiceness() {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let before = getpriority(which, 0)
        let pool = OrderedChunkWorkers<Int, Int32>(workers: 2, window: 5, niceness: 5) { _ in getpriority(which, 0) }
        var out: [Int32] = []
        for n in 0..<20 { pool.submit(n) { out.append($0) } }
        pool.finish { out.append($0) }
        #expect(out == Array(repeating: min(before + 5, 19), count: 20))
        #expect(getpriority(which, 0) == before)
    }
    #endif

    @Test func oneChunkRunsOnTheCallersThread() {
        let caller = pthread_self()
        let pool = OrderedChunkWorkers<Int, Bool>(workers: 2, window: 5) { _ in pthread_equal(pthread_self(), caller) != 0 }
        var out: [Bool] = []
        pool.submit(1) { out.append($0) }
        pool.finish { out.append($0) }
        #expect(out == [true])
    }
}
