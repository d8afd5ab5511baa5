import Extract
import Foundation
import RCCTestSupport
import Testing

/// A byte source over bytes in memory, handing them out in small chunks to exercise chunk boundaries.
final class MemorySource: ByteSource {
    let path = "memory.csv"
    private let bytes: [UInt8]
    private var offset = 0
    private let chunk: Int

    init(_ bytes: [UInt8], chunk: Int = 7) {
        self.bytes = bytes
        self.chunk = chunk
    }

    convenience init(_ text: String, chunk: Int = 7) { self.init(Array(text.utf8), chunk: chunk) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

func readAll(_ source: ByteSource, bufferSize: Int = 5) throws -> [CSVRow] {
    let reader = try CSVReader(source: source, bufferSize: bufferSize)
    var rows: [CSVRow] = []
    while let row = try reader.next() { rows.append(row) }
    return rows
}

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let rows = try readAll(MemorySource("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n"))
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x,1", "say \"hi\"", "two\nlines"], ["last", "", ""]])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func readsAnyLineEnding(newline: String) throws {
        let rows = try readAll(MemorySource(["h1,h2", "1,2", "3,4"].joined(separator: newline) + newline))
        #expect(rows.map(\.fields) == [["h1", "h2"], ["1", "2"], ["3", "4"]])
        #expect(rows.map(\.row) == [1, 2, 3])
    }

    @Test func skipsBlankAndAllDelimiterRowsButCountsThemAsSpreadsheetRows() throws {
        let rows = try readAll(MemorySource("h1,h2\r\n1,2\r\n\r\n,,\r\n3,4\r\n\r\n\r\n"))
        #expect(rows.map(\.fields) == [["h1", "h2"], ["1", "2"], ["3", "4"]])
        #expect(rows.map(\.row) == [1, 2, 5])
    }

    @Test func aRecordWithALineBreakInsideQuotesIsOneRow() throws {
        let rows = try readAll(MemorySource("h\n\"a\nb\"\nc\n"))
        #expect(rows.map(\.row) == [1, 2, 3])
    }

    @Test(arguments: [("\t", UInt8(ascii: "\t")), (";", UInt8(ascii: ";")), ("|", UInt8(ascii: "|")), (",", UInt8(ascii: ","))])
    func sniffsTheDelimiter(delimiter: String, byte: UInt8) throws {
        let text = ["CHILD", "DOB", "\"a,b;c|d\""].joined(separator: delimiter) + "\n1\(delimiter)2\(delimiter)3\n"
        let reader = try CSVReader(source: MemorySource(text))
        #expect(reader.delimiter == byte)
        #expect(try reader.next()?.fields == ["CHILD", "DOB", "a,b;c|d"])
        #expect(try reader.next()?.fields == ["1", "2", "3"])
    }

    @Test func anUnclosedQuoteAtTheEndIsReportedNotSwallowed() throws {
        let rows = try readAll(MemorySource("h1,h2\n1,\"open\n"))
        #expect(rows.count == 2)
        #expect(rows[1].problem?.contains("not closed") == true)
    }

    @Test func readsAFileWithoutAFinalLineBreak() throws {
        #expect(try readAll(MemorySource("h\nlast")).map(\.fields) == [["h"], ["last"]])
    }

    @Test func fallsBackToWindows1252WhenBytesAreNotUTF8() throws {
        // "Zoë" and "£5" as Windows-1252 bytes, and a curly quote from 0x80-0x9F.
        let bytes: [UInt8] = Array("name,note\n".utf8) + [0x5A, 0x6F, 0xEB, 0x2C, 0xA3, 0x35, 0x92, 0x0A]
        let reader = try CSVReader(source: MemorySource(bytes))
        _ = try reader.next()
        #expect(try reader.next()?.fields == ["Zoë", "£5\u{2019}"])
        #expect(reader.encoding == "Windows-1252")
    }

    @Test func keepsUTF8AsUTF8() throws {
        let reader = try CSVReader(source: MemorySource("name\nZoë\n"))
        _ = try reader.next()
        #expect(try reader.next()?.fields == ["Zoë"])
        #expect(reader.encoding == "UTF-8")
    }

    /// Random tables written per RFC 4180 must read back exactly, whatever the chunk and buffer sizes.
    @Test(arguments: [1, 3, 64])
    func roundTripsGeneratedTables(chunk: Int) throws {
        var rng = SeededGenerator(seed: UInt64(chunk))
        let alphabet = Array("ab ,\"\n\r;|\té£1")
        for _ in 0..<50 {
            let width = Int.random(in: 1...5, using: &rng)
            let table: [[String]] = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                (0..<width).map { _ in String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
            }
            // Rows that are wholly blank are skipped by design, so keep a non-blank marker in the first cell.
            let marked = table.map { row in ["r"] + row }
            let text = marked.map { row in row.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
            let reader = try CSVReader(source: MemorySource(Array(text.utf8), chunk: chunk), delimiter: UInt8(ascii: ","), bufferSize: chunk + 1)
            var read: [[String]] = []
            while let row = try reader.next() { read.append(row.fields) }
            #expect(read == marked)
        }
    }

    private func quote(_ field: String) -> String {
        // Bytes, not Characters: "\r\n" is one Character and would slip past a Character test.
        guard field.utf8.contains(where: { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

@Suite struct CSVReaderRefusalTests {
    @Test func aNULByteIsBinaryGarbage() throws {
        let bytes: [UInt8] = Array("h1,h2\n1,".utf8) + [0x00, 0x41] + Array("\n".utf8)
        #expect { _ = try readAll(MemorySource(bytes)) } throws: { "\($0)".contains("memory.csv: row 2") && "\($0)".contains("NUL") }
    }

    @Test func aFieldOverTheLimitIsRefusedNamingTheRow() throws {
        let text = "h\nok\n\"" + String(repeating: "x", count: 5000)
        let reader = try CSVReader(source: MemorySource(text, chunk: 512), maxFieldBytes: 1000)
        #expect { while try reader.next() != nil {} } throws: { "\($0)".contains("row 3") && "\($0)".contains("longer than 1000 bytes") }
    }

    /// A field of exactly the limit reads; one byte more is refused, quoted or not, whether it comes
    /// byte by byte (a buffer of 7) or in one run of the buffer (1 MB).
    @Test(arguments: [7, 1 << 20])
    func theLimitIsExactInAnyBuffer(bufferSize: Int) throws {
        for quoted in [false, true] {
            func field(_ n: Int) -> String { quoted ? "\"" + String(repeating: "x", count: n) + "\"" : String(repeating: "x", count: n) }
            let fits = try CSVReader(source: MemorySource("h,g\n\(field(100)),y\n", chunk: bufferSize), bufferSize: bufferSize, maxFieldBytes: 100)
            _ = try fits.next()
            #expect(try fits.next()?.fields == [String(repeating: "x", count: 100), "y"])
            let over = try CSVReader(source: MemorySource("h,g\n\(field(101)),y\n", chunk: bufferSize), bufferSize: bufferSize, maxFieldBytes: 100)
            #expect { while try over.next() != nil {} } throws: { "\($0)".contains("row 2") && "\($0)".contains("longer than 100 bytes") }
        }
    }

    @Test func bytesNoEncodingExplainsAreRefused() throws {
        // 0x81 is undefined in Windows-1252 and invalid UTF-8.
        let bytes: [UInt8] = Array("name\nok\n".utf8) + [0x41, 0x81, 0x42, 0x0A]
        #expect { _ = try readAll(MemorySource(bytes)) } throws: { "\($0)".contains("row 3, field 1") && "\($0)".contains("neither UTF-8 nor Windows-1252") }
    }
}
