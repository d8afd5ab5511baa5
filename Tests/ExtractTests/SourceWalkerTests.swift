@testable import Extract
import Foundation
import RCCCore
import RCCTestSupport
import Testing

@Suite struct SourceWalkerTests {
    let folder: URL

    init() throws { folder = try TestSupport.temporaryFolder("rcc-walker") }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    struct Leaf: Equatable {
        let path: String
        let containers: [String]
        let format: SourceFormat
        let encoding: String
        let text: String
    }

    /// Walks `path`, reading every leaf to its end.
    func leaves(_ path: String, limits: ExtractionLimits = .default) throws -> [Leaf] {
        var found: [Leaf] = []
        try SourceWalker.walk(path: path, limits: limits) { opened in
            let bytes = try ZipFixtures.readToEnd(opened.source, chunk: 1000)
            found.append(Leaf(path: opened.source.path, containers: opened.containers, format: opened.format,
                              encoding: opened.encoding, text: String(decoding: bytes, as: UTF8.self)))
        }
        return found
    }

    func expectRefusal(_ path: String, limits: ExtractionLimits = .default, _ parts: String...,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            _ = try leaves(path, limits: limits)
            Issue.record("expected an error containing \(parts)", sourceLocation: sourceLocation)
        } catch let error as RCCError {
            for part in parts where !error.message.contains(part) {
                Issue.record("\"\(error.message)\" does not contain \"\(part)\"", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("not an RCCError: \(error)", sourceLocation: sourceLocation)
        }
    }

    func zip(_ entries: [TestZip.Entry]) -> [UInt8] { TestZip(entries).bytes }

    @Test func aFileThatIsNoArchiveIsItsOwnLeaf() throws {
        let path = try file("357/episodes.csv", [0xEF, 0xBB, 0xBF] + Array("CHILD,SEX\n1,M\n".utf8))
        #expect(try leaves(path) == [Leaf(path: path, containers: [], format: .delimitedText, encoding: "UTF-8 (BOM)",
                                          text: "CHILD,SEX\n1,M\n")])
    }

    @Test func zipMembersAreSniffedLikeFiles() throws {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "CHILD,NAME\n1,Zoë\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let xml = "<?xml version=\"1.0\"?>\n<Message><Header/></Message>"
        let path = try file("in/a.zip", zip([
            TestZip.Entry("903/", "", method: 0),
            TestZip.Entry("903/header.csv", [0xEF, 0xBB, 0xBF] + Array("CHILD\n1\n".utf8)),
            TestZip.Entry("903/names.csv", utf16, method: 0),
            TestZip.Entry("cin/census.xml", xml),
            TestZip.Entry("scan.pdf", Array("%PDF-1.4\n".utf8)),
        ]))
        let found = try leaves(path)
        #expect(found.map(\.path) == ["\(path)!/903/header.csv", "\(path)!/903/names.csv", "\(path)!/cin/census.xml",
                                      "\(path)!/scan.pdf"])
        #expect(found.allSatisfy { $0.containers == ["zip"] })
        #expect(found.map(\.format) == [.delimitedText, .delimitedText, .xml(root: "Message"), .binary(what: "a PDF document")])
        #expect(found.map(\.encoding) == ["UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-8", "binary"])
        #expect(found.map(\.text).prefix(3) == ["CHILD\n1\n", "CHILD,NAME\n1,Zoë\n", xml])
    }

    @Test func archivesNestAtAnyDepthWithGzipInsideAndOutside() throws {
        let deep = zip([TestZip.Entry("x.csv", "X\n")])
        let inner = zip([TestZip.Entry("deep.zip", deep), TestZip.Entry("y.csv.gz", TestDeflate.gzip(Array("Y\n".utf8)), method: 0)])
        let path = try file("in/a.zip", zip([TestZip.Entry("903/inner.zip", inner, method: 0), TestZip.Entry("z.csv", "Z\n")]))
        let found = try leaves(path)
        #expect(found.map(\.path) == ["\(path)!/903/inner.zip!/deep.zip!/x.csv", "\(path)!/903/inner.zip!/y.csv.gz",
                                      "\(path)!/z.csv"])
        #expect(found.map(\.containers) == [["zip", "zip", "zip"], ["zip", "zip", "gzip"], ["zip"]])
        #expect(found.map(\.text) == ["X\n", "Y\n", "Z\n"])

        let gzipped = try file("in/return.dat", TestDeflate.gzip(zip([TestZip.Entry("x.csv", "X\n")])))
        #expect(try leaves(gzipped) == [Leaf(path: "\(gzipped)!/x.csv", containers: ["gzip", "zip"], format: .delimitedText,
                                             encoding: "UTF-8", text: "X\n")])
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let layers = TestDeflate.gzip(zip([TestZip.Entry("inner.zip", zip([TestZip.Entry("x.csv", "X\n")]))]))
        let path = try file("in/return.gz", layers)
        #expect(try leaves(path, limits: ExtractionLimits(maxNestingDepth: 3)).map(\.containers) == [["gzip", "zip", "zip"]])
        expectRefusal(path, limits: ExtractionLimits(maxNestingDepth: 2), "\(path)!/inner.zip: archives are nested more than 2",
                      "gzip, zip, then zip")
    }

    @Test func anErrorInANestedMemberNamesTheFileAndTheMemberPath() throws {
        var bad = TestZip.Entry("x.csv", "CHILD\n1\n")
        bad.crc = 7
        let path = try file("in/a.zip", zip([TestZip.Entry("ok.csv", "A\n"), TestZip.Entry("inner.zip", zip([bad]))]))
        expectRefusal(path, "\(path)!/inner.zip!/x.csv: CRC-32 check failed")
    }

    @Test func gzipBombsAreRefusedInsideArchivesAndOut() throws {
        let bomb = try TestDeflate.gzipTool([UInt8](repeating: 0, count: 16 << 20))
        let inZip = try file("in/a.zip", zip([TestZip.Entry("bomb.csv.gz", bomb, method: 0)]))
        expectRefusal(inZip, "\(inZip)!/bomb.csv.gz: its gzip data expands more than 200×")
        let alone = try file("in/bomb.csv.gz", bomb)
        expectRefusal(alone, "\(alone): its gzip data expands more than 200×")
    }

    @Test func theTotalBytesLimitCoversEveryLayerOfTheFile() throws {
        let member = ZipFixtures.csv(rows: 2500)  // about 80 KB
        let one = zip([TestZip.Entry("a.csv", member)])
        let path = try file("in/a.zip", zip([TestZip.Entry("one.zip", one, method: 0), TestZip.Entry("two.zip", one, method: 0)]))
        let limits = ExtractionLimits(maxTotalBytes: Int64(member.utf8.count) * 3 / 2)
        expectRefusal(path, limits: limits, "\(path)!/two.zip!/a.csv", "more than \(limits.maxTotalBytes) bytes")
        #expect(try leaves(path, limits: ExtractionLimits(maxTotalBytes: Int64(member.utf8.count) * 2)).count == 2)
    }

    @Test func theMemberLimitCoversEveryArchiveOfTheFile() throws {
        let pair = zip([TestZip.Entry("a.csv", "A\n"), TestZip.Entry("b.csv", "B\n")])
        let path = try file("in/a.zip", zip([TestZip.Entry("one.zip", pair), TestZip.Entry("two.zip", pair)]))
        #expect(try leaves(path, limits: ExtractionLimits(maxMembers: 6)).count == 4)
        expectRefusal(path, limits: ExtractionLimits(maxMembers: 5), "\(path)!/two.zip!/b.csv", "more than 5 members")
    }

    @Test func aVisitorMayStopReadingAndSkippedBytesAreStillChecked() throws {
        let big = ZipFixtures.csv(rows: 3000)
        let good = try file("in/good.zip", zip([TestZip.Entry("a.csv", big), TestZip.Entry("b.csv", big)]))
        var heads: [String] = []
        try SourceWalker.walk(path: good, limits: .default) { opened in
            var buffer = [UInt8](repeating: 0, count: 5)
            let n = try buffer.withUnsafeMutableBytes { try opened.source.read(into: $0) }
            heads.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
        #expect(heads == ["CHILD", "CHILD"])

        var bad = TestZip.Entry("a.csv", big)
        bad.crc = 0
        let corrupt = try file("in/bad.zip", zip([bad, TestZip.Entry("b.csv", big)]))
        #expect {
            try SourceWalker.walk(path: corrupt, limits: .default) { _ in }
        } throws: { "\($0)".contains("\(corrupt)!/a.csv: CRC-32 check failed") }
    }

    @Test func aVisitorsOwnErrorsPassThroughUnchanged() throws {
        struct Stop: Error {}
        let path = try file("in/a.zip", zip([TestZip.Entry("a.csv", "A\n")]))
        #expect(throws: Stop.self) { try SourceWalker.walk(path: path, limits: .default) { _ in throw Stop() } }
    }

    @Test func aLinkFoundInTheCentralDirectoryRefusesTheFileAfterItsLeaves() throws {
        var link = TestZip.Entry("903/header.csv", "/etc/passwd", method: 0)
        link.unixMode = 0o120777
        let path = try file("in/a.zip", zip([TestZip.Entry("a.csv", "A\n"), link]))
        var visited = 0
        #expect {
            try SourceWalker.walk(path: path, limits: .default) { _ in visited += 1 }
        } throws: { "\($0)".contains("\(path)!/903/header.csv: is a symbolic link") }
        #expect(visited == 2)  // hence the caller must drop everything read from a file whose walk failed
    }

    @Test func anEmptyArchiveHasNoLeavesAndAMissingFileIsAClearError() throws {
        #expect(try leaves(try file("in/empty.zip", zip([]))).isEmpty)
        #expect { try leaves("/nonexistent/a.zip") } throws: { "\($0)".contains("/nonexistent/a.zip") }
    }
}

@Suite struct HiddenMemberTests {
    @Test(arguments: [("__MACOSX/._header.csv", true), ("903/._episodes.csv", true), (".DS_Store", true),
                      ("903/header.csv", false), ("a.b/c.csv", false)])
    func desktopMetadataIsSkipped(name: String, hidden: Bool) {
        #expect(SourceWalker.isHidden(name) == hidden)
    }
}
