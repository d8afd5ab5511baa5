@testable import Extract
import Foundation
import RCCCore
import RCCTestSupport
import Testing

// MARK: - Fixtures: zip, deflate and gzip bytes written in Swift, so the tests need no zip tool.

/// Writes zip archives byte by byte, including the broken and hostile ones the reader must refuse.
struct TestZip {
    enum Descriptor { case none, signed, unsigned }

    struct Entry {
        var name: String
        var data: [UInt8]
        /// 0 stored, 8 deflated (with `TestDeflate`), anything else written as stored bytes under that number.
        var method: UInt16 = 8
        var descriptor: Descriptor = .none
        /// Sizes in a zip64 local extra field (header sizes 0xFFFFFFFF), and 8-byte sizes in a descriptor.
        var zip64 = false
        var extraFlags: UInt16 = 0
        var utf8Flag = true
        var rawName: [UInt8]? = nil
        /// Unix mode put in the central directory's external attributes.
        var unixMode: UInt32 = 0o100644
        var windowsAttributes: UInt32? = nil
        /// Overrides: the CRC-32 and uncompressed size the headers claim, the compressed bytes written.
        var crc: UInt32? = nil
        var declaredSize: Int? = nil
        var compressed: [UInt8]? = nil
        var inCentralDirectory = true

        init(_ name: String, _ data: [UInt8], method: UInt16 = 8, descriptor: Descriptor = .none, zip64: Bool = false) {
            self.name = name
            self.data = data
            self.method = method
            self.descriptor = descriptor
            self.zip64 = zip64
        }

        init(_ name: String, _ text: String, method: UInt16 = 8, descriptor: Descriptor = .none, zip64: Bool = false) {
            self.init(name, Array(text.utf8), method: method, descriptor: descriptor, zip64: zip64)
        }
    }

    var entries: [Entry]
    var extraCentralEntries: [Entry] = []

    init(_ entries: [Entry]) { self.entries = entries }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        var count = 0
        for entry in entries {
            let offset = out.count
            let nameBytes = entry.rawName ?? Array(entry.name.utf8)
            let payload = entry.compressed ?? (entry.method == 8 ? TestDeflate.deflate(entry.data) : entry.data)
            let crc = entry.crc ?? TestDeflate.crc32(entry.data)
            let size = UInt64(entry.declaredSize ?? entry.data.count)
            var flags = entry.extraFlags | (entry.utf8Flag ? 0x0800 : 0)
            if entry.descriptor != .none { flags |= 0x0008 }
            let deferred = entry.descriptor != .none
            var extra: [UInt8] = []
            if entry.zip64 {
                extra = ZipFixtures.le16(1) + ZipFixtures.le16(16) + ZipFixtures.le64(deferred ? 0 : size) + ZipFixtures.le64(deferred ? 0 : UInt64(payload.count))
            }
            out += ZipFixtures.le32(0x0403_4B50) + ZipFixtures.le16(entry.zip64 ? 45 : 20) + ZipFixtures.le16(flags) + ZipFixtures.le16(entry.method) + ZipFixtures.le16(0) + ZipFixtures.le16(0x5A21)
            out += ZipFixtures.le32(deferred ? 0 : crc)
            if entry.zip64 {
                out += ZipFixtures.le32(0xFFFF_FFFF) + ZipFixtures.le32(0xFFFF_FFFF)
            } else {
                out += ZipFixtures.le32(deferred ? 0 : UInt32(payload.count)) + ZipFixtures.le32(deferred ? 0 : UInt32(size))
            }
            out += ZipFixtures.le16(UInt16(nameBytes.count)) + ZipFixtures.le16(UInt16(extra.count)) + nameBytes + extra + payload
            if entry.descriptor != .none {
                if entry.descriptor == .signed { out += ZipFixtures.le32(0x0807_4B50) }
                out += ZipFixtures.le32(crc)
                out += entry.zip64 ? ZipFixtures.le64(UInt64(payload.count)) + ZipFixtures.le64(size) : ZipFixtures.le32(UInt32(payload.count)) + ZipFixtures.le32(UInt32(size))
            }
            if entry.inCentralDirectory {
                central += centralRecord(entry, nameBytes: nameBytes, flags: flags, crc: crc, compressed: payload.count,
                                         size: size, offset: offset)
                count += 1
            }
        }
        for entry in extraCentralEntries {
            central += centralRecord(entry, nameBytes: Array(entry.name.utf8), flags: 0x0800,
                                     crc: TestDeflate.crc32(entry.data), compressed: entry.data.count,
                                     size: UInt64(entry.data.count), offset: 0)
            count += 1
        }
        let centralOffset = out.count
        out += central
        out += ZipFixtures.le32(0x0605_4B50) + ZipFixtures.le16(0) + ZipFixtures.le16(0) + ZipFixtures.le16(UInt16(count)) + ZipFixtures.le16(UInt16(count))
        out += ZipFixtures.le32(UInt32(central.count)) + ZipFixtures.le32(UInt32(centralOffset)) + ZipFixtures.le16(0)
        return out
    }

    private func centralRecord(_ entry: Entry, nameBytes: [UInt8], flags: UInt16, crc: UInt32, compressed: Int,
                               size: UInt64, offset: Int) -> [UInt8] {
        let madeBy: UInt16 = entry.windowsAttributes == nil ? 0x031E : 0x0A1E
        let external = entry.windowsAttributes ?? (entry.unixMode << 16)
        var record = ZipFixtures.le32(0x0201_4B50) + ZipFixtures.le16(madeBy) + ZipFixtures.le16(20) + ZipFixtures.le16(flags) + ZipFixtures.le16(entry.method) + ZipFixtures.le16(0) + ZipFixtures.le16(0x5A21)
        record += ZipFixtures.le32(crc) + ZipFixtures.le32(UInt32(compressed)) + ZipFixtures.le32(UInt32(size))
        record += ZipFixtures.le16(UInt16(nameBytes.count)) + ZipFixtures.le16(0) + ZipFixtures.le16(0) + ZipFixtures.le16(0) + ZipFixtures.le16(0) + ZipFixtures.le32(external)
        record += ZipFixtures.le32(UInt32(offset)) + nameBytes
        return record
    }
}

/// Helpers the zip and walker tests share.
enum ZipFixtures {
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { ZipFixtures.le16(UInt16(v & 0xFFFF)) + ZipFixtures.le16(UInt16(v >> 16)) }
    static func le64(_ v: UInt64) -> [UInt8] { ZipFixtures.le32(UInt32(v & 0xFFFF_FFFF)) + ZipFixtures.le32(UInt32(v >> 32)) }

    /// Reads a source to its end, `chunk` bytes at a time.
    static func readToEnd(_ source: ByteSource, chunk: Int = 4096) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// Synthetic CSV of `rows` varied rows (no real data).
    static func csv(rows: Int) -> String {
        var text = "CHILD,SEX,DOB,HOME_POST\n"
        for i in 0..<rows {
            text += "C\(i * 7919 % 100_000),\(i % 2 + 1),\(i % 28 + 1)/\(i % 12 + 1)/20\(10 + i % 12),M\(i % 9) \(i % 7)AB\n"
        }
        return text
    }
}

/// Raw deflate and gzip for fixtures: one fixed-Huffman block of literals and runs (matches at distance
/// 1), which is valid deflate that zlib reads like any other; and, for real dynamic-Huffman data, the
/// `gzip` tool's output with its header and trailer taken off.
enum TestDeflate {
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBufferPointer { bytes in
            for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var count = 0
        mutating func bits(_ value: UInt32, _ n: Int) {
            accumulator |= value << UInt32(count)
            count += n
            while count >= 8 {
                bytes.append(UInt8(accumulator & 0xFF))
                accumulator >>= 8
                count -= 8
            }
        }
        mutating func code(_ value: UInt32, _ n: Int) {  // Huffman codes go most significant bit first
            var reversed: UInt32 = 0
            for i in 0..<n { reversed = reversed << 1 | (value >> UInt32(i)) & 1 }
            bits(reversed, n)
        }
        mutating func symbol(_ s: Int) {
            switch s {
            case 0...143: code(UInt32(0x30 + s), 8)
            case 144...255: code(UInt32(0x190 + s - 144), 9)
            case 256...279: code(UInt32(s - 256), 7)
            default: code(UInt32(0xC0 + s - 280), 8)
            }
        }
        static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                                  131, 163, 195, 227, 258]
        static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        mutating func match(length: Int) {  // at distance 1
            let index = Self.lengthBases.lastIndex(where: { $0 <= length })!
            symbol(257 + index)
            bits(UInt32(length - Self.lengthBases[index]), Self.lengthExtra[index])
            code(0, 5)  // distance code 0: distance 1
        }
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.bits(1, 1)  // final block
        w.bits(1, 2)  // fixed Huffman codes
        var i = 0
        while i < data.count {
            w.symbol(Int(data[i]))
            var j = i + 1
            while j < data.count && data[j] == data[i] { j += 1 }
            var run = j - i - 1
            while run >= 3 {
                let length = min(258, run)
                w.match(length: length)
                run -= length
            }
            for _ in 0..<run { w.symbol(Int(data[i])) }
            i = j
        }
        w.symbol(256)
        if w.count > 0 { w.bytes.append(UInt8(w.accumulator & 0xFF)) }
        return w.bytes
    }

    static func gzip(_ data: [UInt8]) -> [UInt8] {
        [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + deflate(data) + ZipFixtures.le32(crc32(data)) + ZipFixtures.le32(UInt32(truncatingIfNeeded: data.count))
    }

    /// The `gzip -9` tool's whole output for `data` (dynamic Huffman, long matches: ~1,000× on zeros).
    static func gzipTool(_ data: [UInt8]) throws -> [UInt8] {
        let folder = try TestSupport.temporaryFolder("rcc-deflate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("data")
        try Data(data).write(to: url)
        let result = try TestSupport.run("/usr/bin/env", ["gzip", "-9nkf", url.path])
        guard result.status == 0 else { throw RCCError(.io, "gzip failed: \(result.stderr)") }
        return Array(try Data(contentsOf: url.appendingPathExtension("gz")))
    }

    /// Real raw deflate: `gzipTool` without its 10-byte header (no name, as `-n` writes) and 8-byte trailer.
    static func realDeflate(_ data: [UInt8]) throws -> [UInt8] {
        let gz = try gzipTool(data)
        precondition(gz[3] == 0, "gzip wrote optional header fields")
        return Array(gz[10..<(gz.count - 8)])
    }
}

/// Bytes in memory as a source, handed out at most `chunk` at a time (to cross every buffer boundary).
final class ZipTestSource: ByteSource {
    let path: String
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0
    private(set) var bytesRead = 0

    init(_ bytes: [UInt8], path: String = "in/a.zip", chunk: Int = 1 << 20) {
        self.bytes = bytes
        self.path = path
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        bytesRead += n
        return n
    }
}

// MARK: - Tests

@Suite struct ZipArchiveReaderTests {
    struct Read: Equatable {
        let name: String
        let path: String
        let data: [UInt8]
    }

    func readAll(_ bytes: [UInt8], limits: ExtractionLimits = .default, sourceChunk: Int = 1 << 20,
                 readChunk: Int = 4096) throws -> [Read] {
        let reader = try ZipArchiveReader(source: ZipTestSource(bytes, chunk: sourceChunk), limits: limits)
        var members: [Read] = []
        while let member = try reader.nextMember() {
            members.append(Read(name: member.name, path: member.source.path, data: try ZipFixtures.readToEnd(member.source, chunk: readChunk)))
        }
        return members
    }

    /// Expects reading every member of `bytes` to throw an RCCError whose message contains all of `parts`.
    func expectRefusal(_ bytes: [UInt8], limits: ExtractionLimits = .default, _ parts: String...,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            _ = try readAll(bytes, limits: limits)
            Issue.record("expected an error containing \(parts)", sourceLocation: sourceLocation)
        } catch let error as RCCError {
            for part in parts where !error.message.contains(part) {
                Issue.record("\"\(error.message)\" does not contain \"\(part)\"", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("not an RCCError: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(1, 1), (7, 5), (4096, 4096), (1 << 20, 1 << 20), (65_537, 3)])
    func streamsStoredAndDeflatedMembersInOrderSkippingDirectories(sourceChunk: Int, readChunk: Int) throws {
        let header = ZipFixtures.csv(rows: 200), episodes = ZipFixtures.csv(rows: 3000)
        var empty = TestZip.Entry("903/empty.csv", "", method: 8)
        empty.compressed = []
        let zip = TestZip([
            TestZip.Entry("903/", "", method: 0),
            TestZip.Entry("903/header.csv", header, method: 0),
            TestZip.Entry("903/episodes.csv", episodes, method: 8),
            TestZip.Entry("notes.txt", "", method: 8),
            empty,
        ])
        let members = try readAll(zip.bytes, sourceChunk: sourceChunk, readChunk: readChunk)
        #expect(members.map(\.name) == ["903/header.csv", "903/episodes.csv", "notes.txt", "903/empty.csv"])
        #expect(members.map(\.path) == ["in/a.zip!/903/header.csv", "in/a.zip!/903/episodes.csv", "in/a.zip!/notes.txt",
                                        "in/a.zip!/903/empty.csv"])
        #expect(members[0].data == Array(header.utf8))
        #expect(members[1].data == Array(episodes.utf8))
        #expect(members[2].data.isEmpty && members[3].data.isEmpty)
    }

    @Test(arguments: [TestZip.Descriptor.signed, .unsigned])
    func readsDeflatedMembersWhoseSizesFollowInADataDescriptor(descriptor: TestZip.Descriptor) throws {
        let a = ZipFixtures.csv(rows: 500), b = String(repeating: "x", count: 70_000)
        let zip = TestZip([
            TestZip.Entry("a.csv", a, descriptor: descriptor),
            TestZip.Entry("b.csv", b, descriptor: descriptor),
            TestZip.Entry("c.csv", "", descriptor: descriptor),
            TestZip.Entry("d.csv", "CHILD\n", method: 0),
        ])
        for chunk in [1, 13, 1 << 20] {
            let members = try readAll(zip.bytes, sourceChunk: chunk)
            #expect(members.map(\.name) == ["a.csv", "b.csv", "c.csv", "d.csv"])
            #expect(members.map(\.data) == [Array(a.utf8), Array(b.utf8), [], Array("CHILD\n".utf8)])
        }
    }

    @Test func readsAMemberWhoseCRCEqualsTheDescriptorSignature() throws {
        // Four bytes chosen so that their CRC-32 is 0x08074b50, the descriptor's signature: without a
        // signature the descriptor then starts with those bytes, and the reader must not take them for one.
        let data = try #require(TestDeflate.bytesWithCRC(0x0807_4B50))
        #expect(TestDeflate.crc32(data) == 0x0807_4B50)
        for descriptor in [TestZip.Descriptor.signed, .unsigned] {
            let zip = TestZip([TestZip.Entry("odd.bin", data, descriptor: descriptor), TestZip.Entry("next.csv", "A\n")])
            let members = try readAll(zip.bytes)
            #expect(members.map(\.data) == [data, Array("A\n".utf8)])
        }
    }

    @Test func readsZip64SizesFromTheLocalExtraFieldAndEightByteDescriptors() throws {
        let text = ZipFixtures.csv(rows: 400)
        let zip = TestZip([
            TestZip.Entry("stored.csv", text, method: 0, zip64: true),
            TestZip.Entry("deflated.csv", text, method: 8, zip64: true),
            TestZip.Entry("streamed.csv", text, method: 8, descriptor: .signed, zip64: true),
            TestZip.Entry("streamed-unsigned.csv", text, method: 8, descriptor: .unsigned, zip64: true),
        ])
        let members = try readAll(zip.bytes, sourceChunk: 11)
        #expect(members.count == 4)
        #expect(members.allSatisfy { $0.data == Array(text.utf8) })
    }

    @Test func readsRealDynamicHuffmanDeflate() throws {
        let text = ZipFixtures.csv(rows: 40_000)
        var member = TestZip.Entry("big.csv", text)
        member.compressed = try TestDeflate.realDeflate(Array(text.utf8))
        var streamed = member
        streamed.name = "big-streamed.csv"
        streamed.descriptor = .unsigned
        let members = try readAll(TestZip([member, streamed]).bytes, sourceChunk: 1000, readChunk: 777)
        #expect(members.map(\.data) == [Array(text.utf8), Array(text.utf8)])

        // And the inflater on its own, over any byte source.
        let inflater = try InflateByteSource(wrapping: ZipTestSource(try TestDeflate.realDeflate(Array(text.utf8)),
                                                                    path: "x.deflate", chunk: 100))
        #expect(try ZipFixtures.readToEnd(inflater, chunk: 10_000) == Array(text.utf8))
        #expect(inflater.isFinished)
    }

    @Test func aTruncatedDeflateStreamOnItsOwnIsAnError() throws {
        let deflated = try TestDeflate.realDeflate(Array(ZipFixtures.csv(rows: 5000).utf8))
        let inflater = try InflateByteSource(wrapping: ZipTestSource(Array(deflated.prefix(deflated.count / 2)), path: "x.deflate"))
        #expect { try ZipFixtures.readToEnd(inflater) } throws: { "\($0)".contains("x.deflate: truncated") }
    }

    /// Traditional (bit 0), strong (bits 0 and 6) and AES (method 99) encryption.
    @Test(arguments: [(UInt16(0x0001), UInt16(8)), (0x0041, 8), (0, 99)])
    func refusesEncryptedMembers(flags: UInt16, method: UInt16) {
        var secret = TestZip.Entry("903/secret.csv", "CHILD\n1\n", method: method)
        secret.extraFlags = flags
        if method == 99 { secret.compressed = Array(repeating: 0x55, count: 20) }
        expectRefusal(TestZip([TestZip.Entry("ok.csv", "A\n"), secret]).bytes, "in/a.zip!/903/secret.csv", "encrypted")
    }

    @Test func refusesOtherCompressionMethods() {
        var member = TestZip.Entry("x.csv", "CHILD\n", method: 12)
        member.compressed = Array(repeating: 0x42, count: 10)
        expectRefusal(TestZip([member]).bytes, "in/a.zip!/x.csv", "method 12", "bzip2")
    }

    @Test func refusesStoredMembersWithDataDescriptorsUnlessEmpty() throws {
        expectRefusal(TestZip([TestZip.Entry("x.csv", "CHILD\n", method: 0, descriptor: .signed)]).bytes,
                      "in/a.zip!/x.csv", "cannot be streamed")
        for descriptor in [TestZip.Descriptor.signed, .unsigned] {
            let zip = TestZip([TestZip.Entry("d/", "", method: 0, descriptor: descriptor), TestZip.Entry("e.csv", "", method: 0, descriptor: descriptor),
                               TestZip.Entry("f.csv", "F\n", method: 0)])
            #expect(try readAll(zip.bytes).map(\.name) == ["e.csv", "f.csv"])
        }
    }

    @Test(arguments: ["../x.csv", "903/../../x.csv", "a/..", "/etc/x.csv", "\\x.csv", "C:\\x.csv", "C:/x.csv", "c:x.csv",
                      "..\\x.csv", "a\\..\\..\\x.csv", ""])
    func refusesMemberNamesThatCouldEscapeAFolder(name: String) {
        let zip = TestZip([TestZip.Entry("ok.csv", "A\n"), TestZip.Entry(name, "CHILD\n1\n")])
        expectRefusal(zip.bytes, "in/a.zip!/\(name): ", "refusing")
    }

    @Test func refusesMemberNamesWithControlCharactersWithoutPrintingThem() {
        for (name, shown) in [("a\u{0}b.csv", "a?b.csv"), ("a\nb.csv", "a?b.csv"), ("a\u{1B}[2J.csv", "a?[2J.csv")] {
            expectRefusal(TestZip([TestZip.Entry(name, "CHILD\n")]).bytes, "in/a.zip!/\(shown): ", "control characters")
        }
    }

    @Test func acceptsHarmlessNamesAndDecodesCodePage437() throws {
        var cp437 = TestZip.Entry("", "B\n")
        cp437.rawName = [0x82, 0x2E, 0x63, 0x73, 0x76]  // "é.csv" in code page 437
        cp437.utf8Flag = false
        var utf8NoFlag = TestZip.Entry("Zoë.csv", "C\n")
        utf8NoFlag.utf8Flag = false
        let zip = TestZip([TestZip.Entry("a..b.csv", "A\n"), TestZip.Entry("./dir/.hidden.csv", "A\n"),
                           TestZip.Entry("π/ü.csv", "A\n"), cp437, utf8NoFlag])
        #expect(try readAll(zip.bytes).map(\.name) == ["a..b.csv", "./dir/.hidden.csv", "π/ü.csv", "é.csv", "Zoë.csv"])
        #expect(ZipEntryName.cp437High.count == 128)
    }

    @Test(arguments: [(UInt16(0), TestZip.Descriptor.none), (8, .none), (8, .signed), (8, .unsigned)])
    func aCRCMismatchIsAnError(method: UInt16, descriptor: TestZip.Descriptor) {
        var bad = TestZip.Entry("903/header.csv", ZipFixtures.csv(rows: 50), method: method, descriptor: descriptor)
        bad.crc = 0x1234_5678
        expectRefusal(TestZip([bad]).bytes, "in/a.zip!/903/header.csv: CRC-32 check failed")
    }

    @Test func aSkippedMemberIsStillInflatedAndChecked() throws {
        var bad = TestZip.Entry("bad.csv", ZipFixtures.csv(rows: 50))
        bad.crc = 1
        let reader = try ZipArchiveReader(source: ZipTestSource(TestZip([bad, TestZip.Entry("good.csv", "A\n")]).bytes),
                                          limits: .default)
        let first = try #require(try reader.nextMember())
        #expect(first.name == "bad.csv")
        #expect { try reader.nextMember() } throws: { "\($0)".contains("in/a.zip!/bad.csv: CRC-32") }
        // The archive stays refused: the reader does not carry on past a bad member.
        #expect { try reader.nextMember() } throws: { "\($0)".contains("in/a.zip!/bad.csv: CRC-32") }
    }

    @Test func aSizeMismatchIsAnError() {
        var lying = TestZip.Entry("x.csv", ZipFixtures.csv(rows: 10))
        lying.declaredSize = 5
        expectRefusal(TestZip([lying]).bytes, "in/a.zip!/x.csv", "header says 5")
    }

    @Test func everyTruncationOfAnArchiveIsRefused() throws {
        let zip = TestZip([
            TestZip.Entry("dir/", "", method: 0),
            TestZip.Entry("stored.csv", ZipFixtures.csv(rows: 3), method: 0),
            TestZip.Entry("deflated.csv", ZipFixtures.csv(rows: 5)),
            TestZip.Entry("signed.csv", ZipFixtures.csv(rows: 4), descriptor: .signed),
            TestZip.Entry("unsigned.csv", ZipFixtures.csv(rows: 4), descriptor: .unsigned),
        ]).bytes
        #expect(try readAll(zip).count == 4)
        for length in 0..<zip.count {
            do {
                _ = try readAll(Array(zip.prefix(length)))
                Issue.record("a zip cut to \(length) of \(zip.count) bytes was read without error")
            } catch let error as RCCError {
                #expect(error.message.hasPrefix("in/a.zip"))
                if length >= 4 { #expect(error.message.contains("truncated"), "cut at \(length): \(error.message)") }
            }
        }
    }

    @Test func aZipBombIsRefusedWhileInflatingWhateverItsHeaderSays() throws {
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        var bomb = TestZip.Entry("bomb.csv", [])
        bomb.compressed = try TestDeflate.realDeflate(zeros)
        bomb.crc = TestDeflate.crc32(zeros)
        bomb.declaredSize = 100  // a lie: the reader must count what it inflates
        let reader = try ZipArchiveReader(source: ZipTestSource(TestZip([bomb]).bytes), limits: .default)
        let member = try #require(try reader.nextMember())
        var inflated = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        #expect {
            while true {
                let n = try buffer.withUnsafeMutableBytes { try member.source.read(into: $0) }
                if n == 0 { break }
                inflated += n
            }
        } throws: { error in
            "\(error)".contains("in/a.zip!/bomb.csv: expands more than 200×")
        }
        #expect(inflated <= 2 << 20)  // stopped soon after the 1 MiB grace, long before 16 MiB
    }

    @Test func theArchiveRatioCountsEveryMember() {
        // Each member stays under the grace, so only the archive's total can show the expansion.
        let members = (0..<12).map { TestZip.Entry("part\($0).csv", [UInt8](repeating: 0x30, count: 60_000)) }
        let limits = ExtractionLimits(maxExpansionRatio: 50, expansionGraceBytes: 100_000)
        expectRefusal(TestZip(members).bytes, limits: limits, "in/a.zip: the archive expands more than 50×", "in/a.zip!/part")
    }

    @Test func theTotalBytesLimitIsCheckedWhileInflating() {
        let zip = TestZip([TestZip.Entry("a.csv", ZipFixtures.csv(rows: 2000)), TestZip.Entry("b.csv", ZipFixtures.csv(rows: 2000))])
        let limits = ExtractionLimits(maxTotalBytes: 100_000)
        expectRefusal(zip.bytes, limits: limits, "in/a.zip!/b.csv", "more than 100000 bytes")
    }

    @Test func tooManyMembersAreRefused() throws {
        let zip = TestZip((0..<5).map { TestZip.Entry("m\($0).csv", "A\n") })
        expectRefusal(zip.bytes, limits: ExtractionLimits(maxMembers: 3), "in/a.zip!/m3.csv", "more than 3 members")
        #expect(try readAll(zip.bytes, limits: ExtractionLimits(maxMembers: 5)).count == 5)
    }

    @Test func symbolicLinksAndSpecialFilesAreRefusedAtTheCentralDirectory() {
        var link = TestZip.Entry("903/header.csv", "../../../etc/passwd", method: 0)
        link.unixMode = 0o120777
        expectRefusal(TestZip([TestZip.Entry("a.csv", "A\n"), link]).bytes, "in/a.zip!/903/header.csv", "symbolic link")
        var fifo = TestZip.Entry("pipe", "", method: 0)
        fifo.unixMode = 0o010644
        expectRefusal(TestZip([fifo]).bytes, "in/a.zip!/pipe", "not a regular file")
        var reparse = TestZip.Entry("win.csv", "x", method: 0)
        reparse.windowsAttributes = 0x420
        expectRefusal(TestZip([reparse]).bytes, "in/a.zip!/win.csv", "reparse point")
    }

    @Test(arguments: [UInt16(0), 8])
    func aDirectoryEntryWithDataIsRefused(method: UInt16) {
        expectRefusal(TestZip([TestZip.Entry("903/", "not a folder", method: method)]).bytes, "in/a.zip!/903/", "holds data")
    }

    @Test func anArchiveWhoseDirectoryAndMembersDisagreeIsRefused() {
        var hidden = TestZip.Entry("hidden.csv", "A\n")
        hidden.inCentralDirectory = false
        expectRefusal(TestZip([TestZip.Entry("a.csv", "A\n"), hidden]).bytes, "in/a.zip!/hidden.csv", "not listed")

        var phantom = TestZip([TestZip.Entry("a.csv", "A\n")])
        phantom.extraCentralEntries = [TestZip.Entry("phantom.csv", "B\n")]
        expectRefusal(phantom.bytes, "in/a.zip!/phantom.csv", "no member of that name")

        expectRefusal(TestZip([TestZip.Entry("a.csv", "A\n"), TestZip.Entry("a.csv", "B\n")]).bytes,
                      "in/a.zip!/a.csv", "appears twice")
    }

    @Test func readingAMemberAfterTheNextOneIsAnError() throws {
        let reader = try ZipArchiveReader(source: ZipTestSource(TestZip([TestZip.Entry("a.csv", "A\n"),
                                                                        TestZip.Entry("b.csv", "B\n")]).bytes),
                                          limits: .default)
        let a = try #require(try reader.nextMember())
        _ = try reader.nextMember()
        #expect { try ZipFixtures.readToEnd(a.source) } throws: { "\($0)".contains("in/a.zip!/a.csv: read after") }
        #expect(try reader.nextMember() == nil)
        #expect(try reader.nextMember() == nil)
    }

    @Test func anEmptyArchiveHasNoMembersAndOtherBytesAreNoArchive() throws {
        #expect(try readAll(TestZip([]).bytes).isEmpty)
        #expect { try ZipArchiveReader(source: ZipTestSource(Array("CHILD\n".utf8)), limits: .default) } throws: {
            "\($0)".contains("in/a.zip: is not a zip archive")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip"), "the zip tool is not installed"))
    func readsArchivesMadeByTheZipTool() throws {
        let folder = try TestSupport.temporaryFolder("rcc-ziptool")
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = ZipFixtures.csv(rows: 20_000), small = "CHILD\n1\n"
        try TestSupport.write(big, to: folder.appendingPathComponent("in/903/episodes.csv"))
        try TestSupport.write(small, to: folder.appendingPathComponent("in/903/header.csv"))
        // To a file (sizes in headers), to a pipe (sizes in data descriptors), and to a pipe with zip64 forced.
        let made = try TestSupport.run("/bin/sh", ["-c", "cd in && zip -qr ../file.zip 903 && zip -qr - 903 | cat > ../pipe.zip "
                                                       + "&& zip -qr -fz - 903 | cat > ../zip64.zip"],
                                       currentDirectory: folder)
        #expect(made.status == 0)
        for name in ["file.zip", "pipe.zip", "zip64.zip"] {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let members = try readAll(bytes, sourceChunk: 4099)
            #expect(Set(members.map(\.name)) == ["903/episodes.csv", "903/header.csv"])
            #expect(members.first { $0.name == "903/episodes.csv" }?.data == Array(big.utf8))
            #expect(members.first { $0.name == "903/header.csv" }?.data == Array(small.utf8))
        }
    }
}

extension TestDeflate {
    /// Four bytes whose CRC-32 is `target` (CRC-32 is linear, so four chosen bytes after nothing can
    /// reach any value: found here by inverting the table).
    static func bytesWithCRC(_ target: UInt32) -> [UInt8]? {
        // Standard CRC-32 forcing: run the register backwards from the target through four table steps.
        var reverseIndex = [Int](repeating: 0, count: 256)
        for (i, value) in crcTable.enumerated() { reverseIndex[Int(value >> 24)] = i }
        var register = target ^ 0xFFFF_FFFF
        var indices: [Int] = []
        for _ in 0..<4 {
            let i = reverseIndex[Int(register >> 24)]
            indices.append(i)
            register = (register ^ crcTable[i]) << 8
        }
        // Forward: the register starts at 0xFFFFFFFF; choose each byte so that its table index is the one found.
        var forward: UInt32 = 0xFFFF_FFFF
        var bytes: [UInt8] = []
        for i in indices.reversed() {
            let byte = UInt8(truncatingIfNeeded: UInt32(i) ^ forward)
            bytes.append(byte)
            forward = crcTable[Int((forward ^ UInt32(byte)) & 0xFF)] ^ (forward >> 8)
        }
        return crc32(bytes) == target ? bytes : nil
    }
}
