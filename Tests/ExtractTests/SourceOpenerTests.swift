import Extract
import Foundation
import RCCCore
import RCCTestSupport
import Testing

@Suite struct SourceOpenerTests {
    let folder: URL

    init() throws { folder = try TestSupport.temporaryFolder("rcc-opener") }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func gzip(_ path: String) throws -> String {
        let result = try TestSupport.run("/usr/bin/env", ["gzip", "-kf", path])
        #expect(result.status == 0)
        return path + ".gz"
    }

    func text(of opened: OpenedSource) throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try opened.source.read(into: $0) }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("<?xml version=\"1.0\"?>\n<EXPSSDA903><CHILD><HEADER></CHILD></EXPSSDA903>\n", "EXPSSDA903"),
        ("<!-- export -->\n<!DOCTYPE x>\n<ns:Message xmlns:ns=\"u\"><Header></Message>", "Message"),
        ("<Message><Children><Child>&bogus;</Child>", "Message"),
    ])
    func xmlThatBreaksBeforeItsFirstElementIsStillXML(text: String, root: String) throws {
        // A short document libxml2 gives up on at once is still recognised by its first tag, so that it is
        // refused as XML that is not well-formed (with its line), not as text matching no table.
        let opened = try SourceOpener.open(path: try file("broken-\(root)-\(text.count).xml", Array(text.utf8)))
        #expect(opened.format == .xml(root: root))
    }

    @Test func textThatOnlyStartsWithAnAngleBracketIsNotXML() throws {
        for text in ["<1,2,3>\n", "< CHILD,SEX\n", "<?never closed"] {
            #expect(XMLRootSniffer.rootElement(of: Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func dropsAUTF8ByteOrderMarkAndSaysSo() throws {
        let opened = try SourceOpener.open(path: try file("bom.csv", [0xEF, 0xBB, 0xBF] + Array("CHILD,SEX\n".utf8)))
        #expect(opened.encoding == "UTF-8 (BOM)")
        #expect(opened.format == .delimitedText)
        #expect(try text(of: opened) == "CHILD,SEX\n")
    }

    @Test(arguments: [false, true])
    func transcodesUTF16WithAByteOrderMark(bigEndian: Bool) throws {
        let units = Array("CHILD,NAME\n1,Zoë 😀\n".utf16)
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in units {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let opened = try SourceOpener.open(path: try file("utf16-\(bigEndian).csv", bytes))
        #expect(opened.encoding == (bigEndian ? "UTF-16BE (BOM)" : "UTF-16LE (BOM)"))
        #expect(try text(of: opened) == "CHILD,NAME\n1,Zoë 😀\n")
    }

    @Test func readsThroughGzipWhateverTheFileIsCalled() throws {
        let content = String(repeating: "CHILD,SEX\n123,M\n", count: 5000)
        let gz = try gzip(try file("episodes.csv", Array(content.utf8)))
        let renamed = folder.appendingPathComponent("return.dat").path
        try FileManager.default.moveItem(atPath: gz, toPath: renamed)
        let opened = try SourceOpener.open(path: renamed)
        #expect(opened.containers == ["gzip"])
        #expect(opened.format == .delimitedText)
        #expect(try text(of: opened) == content)
    }

    @Test func readsConcatenatedGzipMembersAsOneStream() throws {
        let a = try Data(contentsOf: URL(fileURLWithPath: try gzip(try file("a.csv", Array("CHILD\n1\n".utf8)))))
        let b = try Data(contentsOf: URL(fileURLWithPath: try gzip(try file("b.csv", Array("2\n".utf8)))))
        let opened = try SourceOpener.open(path: try file("ab.csv.gz", Array(a + b)))
        #expect(try text(of: opened) == "CHILD\n1\n2\n")
    }

    @Test func aTruncatedGzipIsAnErrorNamingTheFile() throws {
        let content = String(repeating: "CHILD,SEX\n123,M\n", count: 20000)
        let whole = try Data(contentsOf: URL(fileURLWithPath: try gzip(try file("t.csv", Array(content.utf8)))))
        let path = try file("truncated.csv.gz", Array(whole.prefix(whole.count / 2)))
        #expect {
            try text(of: try SourceOpener.open(path: path))
        } throws: { error in
            "\(error)".contains("truncated.csv.gz") && "\(error)".contains("truncated")
        }
    }

    @Test func recognisesXMLByItsRootElementAndZipByItsMagic() throws {
        let xml = try SourceOpener.open(path: try file("cin.txt", Array("<?xml version=\"1.0\"?>\n<!-- c -->\n<Message><Header/></Message>".utf8)))
        #expect(xml.format == .xml(root: "Message"))
        let zip = try SourceOpener.open(path: try file("a.csv", [0x50, 0x4B, 0x03, 0x04, 0, 0]))
        #expect(zip.format == .zip)
    }

    @Test func aMissingFileIsAClearError() {
        #expect { try SourceOpener.open(path: "/nonexistent/x.csv") } throws: { "\($0)".contains("/nonexistent/x.csv") }
    }
}

extension SourceOpenerTests {
    @Test func recognisesUTF16XMLThatDeclaresItsEncoding() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Message><Header/></Message>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let opened = try SourceOpener.open(path: try file("utf16.xml", bytes))
        #expect(opened.format == .xml(root: "Message"))
        #expect(opened.encoding == "UTF-16LE (BOM)")
    }
}
