import Foundation
import RCCCore
import RCCTestSupport
import Synchronization
import Testing

@Suite struct CivilDateTests {
    @Test(arguments: [
        ("05/02/2024", "2024-02-05"), ("5/2/2024", "2024-02-05"), ("29/02/2024", "2024-02-29"), ("31/12/1999", "1999-12-31"),
    ])
    func parsesDayMonthYear(text: String, iso: String) {
        #expect(CivilDate.parse(text, formats: ["dd/mm/yyyy"])?.iso == iso)
    }

    @Test(arguments: ["31/02/2012", "29/02/2023", "00/01/2020", "12/13/2020", "2020-01-05", "1/1/20", "aa/bb/cccc", "", "01/01/2020/1"])
    func refusesWhatIsNoDate(text: String) {
        #expect(CivilDate.parse(text, formats: ["dd/mm/yyyy"]) == nil)
    }

    @Test func triesEachFormatInTurn() {
        #expect(CivilDate.parse("2020-01-05", formats: ["dd/mm/yyyy", "yyyy-mm-dd"])?.iso == "2020-01-05")
        #expect(CivilDate.parse("05-01-2020", formats: ["dd-mm-yyyy"])?.iso == "2020-01-05")
    }

    /// Ten-byte dates are read by a shortcut (`2024-04-01`, `01/04/2024`, `01-04-2024`); in every format,
    /// `parse` must answer as a plain reading of the three runs of digits does (an oracle written apart): on
    /// valid and invalid days, a separator of the wrong format, non-digits, and 10,000 random ten-byte texts,
    /// half of them near-dates, of which more than 2,000 are dates.
    @Test func tenByteDatesReadAsTheLongWayReadsThem() {
        func oracle(_ text: String, _ format: String) -> CivilDate? {
            let separator: Character = format.contains("/") ? "/" : "-"
            let parts = text.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            let counts = parts.map(\.count), numbers = parts.map { Int($0)! }
            if format.hasPrefix("dd") {
                guard (1...2).contains(counts[0]), (1...2).contains(counts[1]), counts[2] == 4 else { return nil }
                return CivilDate(year: numbers[2], month: numbers[1], day: numbers[0])
            }
            guard counts[0] == 4, (1...2).contains(counts[1]), (1...2).contains(counts[2]) else { return nil }
            return CivilDate(year: numbers[0], month: numbers[1], day: numbers[2])
        }
        var texts = ["2024-04-01", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "2024-04-31",
                     "01/04/2024", "29/02/2023", "31/04/2024", "00/04/2024", "01-04-2024", "01/04-2024", "2024/04/01",
                     "ab/cd/efgh", "2024-4-011", "1/04/20245", "12/1/20240", "2024--0401", "+1/04/2024", "2024-04-0a"]
        var random = SeededGenerator(seed: 20261125)
        let alphabet = Array("0123456789/-")
        func padded(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        for _ in 0..<10_000 {
            // Half near-dates (years 1790-2210, months 0-13, days 0-32: valid and not), half any digits.
            let (y, m, d) = Bool.random(using: &random)
                ? (Int.random(in: 1790...2210, using: &random), Int.random(in: 0...13, using: &random), Int.random(in: 0...32, using: &random))
                : (Int.random(in: 0...9999, using: &random), Int.random(in: 0...99, using: &random), Int.random(in: 0...99, using: &random))
            let separator = alphabet[Int.random(in: 10..<12, using: &random)]
            var bytes = Array(Bool.random(using: &random)
                ? padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2)
                : padded(d, 2) + String(separator) + padded(m, 2) + String(separator) + padded(y, 4))
            // Now and then a byte anywhere made any digit or separator.
            if Int.random(in: 0..<8, using: &random) == 0 { bytes[Int.random(in: 0..<10, using: &random)] = alphabet[Int.random(in: 0..<12, using: &random)] }
            texts.append(String(bytes))
        }
        #expect(texts.filter { text in ["yyyy-mm-dd", "dd/mm/yyyy", "dd-mm-yyyy"].contains { oracle(text, $0) != nil } }.count > 2_000)
        for text in texts {
            for format in ["yyyy-mm-dd", "dd/mm/yyyy", "dd-mm-yyyy"] {
                #expect(CivilDate.parse(text, format: format) == oracle(text, format), "\(text) as \(format)")
            }
        }
    }

    @Test func coarsensToTheFirstOfTheMonth() {
        #expect(CivilDate(iso: "2011-07-19")?.firstOfMonth.iso == "2011-07-01")
    }

    @Test func countsWholeYears() {
        let birth = CivilDate(iso: "2010-03-15")!
        #expect(birth.wholeYears(until: CivilDate(iso: "2024-03-14")!) == 13)
        #expect(birth.wholeYears(until: CivilDate(iso: "2024-03-15")!) == 14)
        #expect(CivilDate(iso: "2008-02-29")!.wholeYears(until: CivilDate(iso: "2025-02-28")!) == 16)
    }
}

@Suite struct DateTimeSuffixTests {
    @Test(arguments: [("2024-12-10 00:00:00.000", "yyyy-mm-dd", "2024-12-10"), ("01/02/2024 00:00", "dd/mm/yyyy", "2024-02-01"),
                      ("2024-12-10T13:45:00", "yyyy-mm-dd", "2024-12-10")])
    func aTimeOfDayIsDropped(text: String, format: String, iso: String) {
        #expect(CivilDate.parse(text, formats: [format])?.iso == iso)
    }

    @Test(arguments: ["2024-12-10 noon", "2024-12-10 ", "2024-12-10 12"])
    func anythingElseAfterTheDateIsNoDate(text: String) {
        #expect(CivilDate.parse(text, formats: ["yyyy-mm-dd"]) == nil)
    }
}

@Suite struct KeySetTests {
    /// Where no file can be made, the keys stay in memory and every answer is still right.
    @Test func aFolderThatTakesNoFilesKeepsTheKeysInMemory() {
        let set = KeySet(threshold: 10, folder: "/dev/null/rcc-keys")
        for i in 0..<1_000 { #expect(set.insert(KeyHash(["C\(i)"]))) }
        #expect(!set.isOnDisk)
        #expect((0..<1_000).allSatisfy { !set.insert(KeyHash(["C\($0)"])) })
    }

    @Test(arguments: [10_000_000, 100])
    func findsDuplicatesInMemoryAndOnDisk(threshold: Int) {
        let set = KeySet(threshold: threshold)
        for i in 0..<1000 { #expect(set.insert(KeyHash(["C\(i)", "2024-01-01"]))) }
        #expect(set.isOnDisk == (threshold < 1000))
        #expect(!set.insert(KeyHash(["C7", "2024-01-01"])))
        #expect(set.contains(KeyHash(["C999", "2024-01-01"])))
        #expect(!set.contains(KeyHash(["C1000", "2024-01-01"])))
    }

    /// Past its threshold many times over, the set's keys are in merged runs on disk and in memory: each
    /// key is found once, wherever it is, and nothing is left under a name in the folder.
    @Test func findsEveryKeyAcrossManyRunsAndMerges() throws {
        let folder = try TestSupport.temporaryFolder("rcc-keys")
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = KeySet(threshold: 50, folder: folder.path)
        for i in 0..<5_000 { #expect(set.insert(KeyHash(["C\(i)"]))) }
        #expect(set.isOnDisk)
        #expect((0..<5_000).allSatisfy { !set.insert(KeyHash(["C\($0)"])) })
        #expect((0..<5_000).allSatisfy { set.contains(KeyHash(["C\($0)"])) })
        #expect((5_000..<10_000).allSatisfy { !set.contains(KeyHash(["C\($0)"])) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

@Suite struct LookupStoreTests {
    @Test func keepsValuesInMemoryThenInAnUnlinkedFileOfThePrivateFolder() throws {
        let folder = try TestSupport.temporaryFolder("rcc-lookups")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LookupStore(width: 2, spillFolder: folder.path, threshold: 100)
        for i in 0..<500 { store.set(KeyHash(["C\(i)"]), ["2010-01-\(10 + i % 18)", i % 3 == 0 ? nil : "x\u{1F}y"]) }
        #expect(store.isOnDisk)
        #expect(store.get(KeyHash(["C42"]), field: 0) == "2010-01-\(10 + 42 % 18)")
        #expect(store.get(KeyHash(["C42"]), field: 1) == nil)
        #expect(store.get(KeyHash(["C43"]), field: 1) == "x\u{1F}y")
        #expect(store.get(KeyHash(["C999"]), field: 0) == nil)
        store.set(KeyHash(["C42"]), ["2011-02-03", "z"])
        #expect(store.get(KeyHash(["C42"]), field: 0) == "2011-02-03")
        // Nothing of it is left under a name: the file was unlinked once open.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Rows past the first few thousand (kept in chunks) read back as written, a replaced row too, and a
    /// row given short of the width reads blank in its missing fields.
    @Test func manyRowsInMemoryReadBackAsWritten() {
        let store = LookupStore(width: 3, spillFolder: nil)
        for i in 0..<10_000 { store.set(KeyHash(["C\(i)"]), ["a\(i)", i % 2 == 0 ? nil : "b\(i)", "c\(i)"]) }
        store.set(KeyHash(["C4097"]), ["new"])
        #expect((0..<10_000).allSatisfy { i in
            i == 4097 || (store.get(KeyHash(["C\(i)"]), field: 0) == "a\(i)"
                && store.get(KeyHash(["C\(i)"]), field: 1) == (i % 2 == 0 ? nil : "b\(i)")
                && store.get(KeyHash(["C\(i)"]), field: 2) == "c\(i)")
        })
        #expect(store.get(KeyHash(["C4097"]), field: 0) == "new")
        #expect(store.get(KeyHash(["C4097"]), field: 2) == nil)
        #expect(store.get(KeyHash(["C4098"]), field: 2) == "c4098")
    }

    /// Rows replaced after their first version went to disk read back as replaced, through every merge of
    /// the runs; rows never replaced read as first written.
    @Test func theNewestRowWinsAcrossRunsAndMerges() throws {
        let folder = try TestSupport.temporaryFolder("rcc-lookups")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LookupStore(width: 2, spillFolder: folder.path, threshold: 40)
        for i in 0..<3_000 { store.set(KeyHash(["C\(i)"]), ["a\(i)", nil]) }
        for i in stride(from: 0, to: 3_000, by: 7) { store.set(KeyHash(["C\(i)"]), ["b\(i)", String(repeating: "é", count: 300)]) }
        #expect(store.isOnDisk)
        #expect((0..<3_000).allSatisfy { i in
            store.get(KeyHash(["C\(i)"]), field: 0) == (i % 7 == 0 ? "b\(i)" : "a\(i)")
                && store.get(KeyHash(["C\(i)"]), field: 1) == (i % 7 == 0 ? String(repeating: "é", count: 300) : nil)
        })
        #expect(store.get(KeyHash(["C3000"]), field: 0) == nil)
    }

    /// Filled, it is read from several threads at once (the sequence rules' workers look up last year's
    /// rows): every read gives what was written, spilled to its file or not.
    @Test(arguments: [false, true])
    func readsFromSeveralThreadsAtOnce(spilled: Bool) throws {
        let folder = try TestSupport.temporaryFolder("rcc-lookups")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LookupStore(width: 2, spillFolder: folder.path, threshold: spilled ? 100 : 100_000)
        for i in 0..<2_000 { store.set(KeyHash(["C\(i)"]), ["a\(i)", i % 3 == 0 ? nil : "b\(i)"]) }
        #expect(store.isOnDisk == spilled)
        /// Read only from here on: what the threads share.
        struct Filled: @unchecked Sendable { let store: LookupStore }
        let filled = Filled(store: store)
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var misses = 0
            for n in 0..<4_000 {
                let i = (n * 7 + thread * 131) % 2_000
                if filled.store.get(KeyHash(["C\(i)"]), field: 0) != "a\(i)"
                    || filled.store.get(KeyHash(["C\(i)"]), field: 1) != (i % 3 == 0 ? nil : "b\(i)") { misses += 1 }
            }
            wrong.withLock { $0 += misses }
        }
        #expect(wrong.withLock { $0 } == 0)
    }

    @Test func withoutAFolderItNeverSpills() {
        let store = LookupStore(width: 1, spillFolder: nil, threshold: 10)
        for i in 0..<100 { store.set(KeyHash(["C\(i)"]), ["v\(i)"]) }
        #expect(!store.isOnDisk)
        #expect(store.get(KeyHash(["C77"]), field: 0) == "v77")
    }
}

@Suite struct RowsByChildTests {
    /// Where no file can be made (a "folder" under a file), rows stay in memory and still come back right.
    @Test func aFolderThatTakesNoFilesKeepsTheRowsInMemory() throws {
        let store = RowsByChild(folder: "/dev/null/rcc-rows", memoryBudget: 1_000)
        for i in 0..<2_000 { store.add(child: "c\(i % 10)", payload: Array("\(i)".utf8)) }
        #expect(!store.hasSpilled)
        var rows: [String: [String]] = [:]
        try store.forEachChild { child, given in given.forEach { rows[child, default: []].append(String(decoding: $0, as: UTF8.self)) } }
        #expect(rows["c3"] == (0..<2_000).filter { $0 % 10 == 3 }.map(String.init))
    }

    /// Rows of children in a shuffled order come back child by child, each child's in the order added,
    /// whether they stayed in memory or went through many runs on disk; and nothing stays under a name.
    /// Children's keys differ within their first 8 bytes, past them, or only in length (sorting compares
    /// the first 8 bytes first).
    @Test(arguments: [1 << 30, 2_000])
    func givesEachChildsRowsTogetherInTheOrderAdded(budget: Int) throws {
        let folder = try TestSupport.temporaryFolder("rcc-rows")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = RowsByChild(folder: folder.path, memoryBudget: budget)
        var generator = SystemRandomNumberGenerator()
        var added: [String: [[UInt8]]] = [:]
        for i in 0..<5_000 {
            let n = Int.random(in: 0..<700, using: &generator)
            let child = ["child-\(n)", "a-long-common-prefix-\(n)", "c\(n % 10)", "c\(n % 10)\u{0}", ""][n % 5]
            let payload = Array("row \(i) of \(child)".utf8) + (i % 50 == 0 ? Array(repeating: 7, count: 3_000) : [])
            added[child, default: []].append(payload)
            store.add(child: child, payload: payload)
        }
        #expect(store.hasSpilled == (budget < 1 << 30))
        var children: [String] = []
        var given: [String: [[UInt8]]] = [:]
        try store.forEachChild { child, rows in
            children.append(child)
            rows.forEach { given[child, default: []].append(Array($0)) }
        }
        #expect(children == added.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(given == added)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
