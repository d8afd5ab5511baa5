import Foundation
import RCCTestSupport
import Testing

/// What rcc says while it works: a line per file read in a log, JSON lines for a server, a progress
/// bar on a terminal, silence under --quiet.
@Suite struct OutputEndToEndTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    let folder: URL
    init() throws { folder = try TestSupport.temporaryFolder("rcc-e2e-output") }

    func key() throws -> String {
        let path = folder.appendingPathComponent("out.key").path
        if !FileManager.default.fileExists(atPath: path) { _ = try TestSupport.run(Self.rcc, ["keygen", "--out", path]) }
        return path
    }

    func ingest(_ extra: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.rcc, ["ingest", "--warehouse", folder.appendingPathComponent("\(UUID().uuidString).sqlite").path,
                                       "--key-file", try key(), "--schemas", TestSupport.schemas] + extra + [TestSupport.samples])
    }

    /// The input files of the samples, as rcc names them.
    var sampleFiles: [String] {
        let walker = FileManager.default.enumerator(atPath: TestSupport.samples)!
        return walker.compactMap { $0 as? String }.filter { !$0.hasPrefix(".") && !FileManager.default.isDirectory(TestSupport.samples + "/" + $0) }
    }

    @Test func aLogGetsOneLinePerFileRead() throws {
        let result = try ingest([])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(": read ") }
        // A file is read once per return it holds (and per rank of table in it): each at least once.
        for file in sampleFiles { #expect(lines.contains { $0.contains("read \(TestSupport.samples)/\(file):") }, "\(file)") }
        #expect(lines.contains { $0.contains("350 ssda903 2025: read \(TestSupport.samples)/350/2025/header.csv: 40 rows, 1.7 kB in") && $0.contains("rows/s") })
        #expect(lines.contains { $0.contains("886 cin 2025: read \(TestSupport.samples)/886/") } && lines.contains { $0.contains("886 ssda903 2025: read \(TestSupport.samples)/886/") })
        #expect(!result.stderr.contains("\u{1B}["), "no terminal control codes in a log")
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let result = try ingest(["--log-format", "json", "--verbose"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count > sampleFiles.count)
        var reads: Set<String> = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["time"] is String && object["level"] is String && object["message"] is String)
            if let file = object["file"] as? String {
                reads.insert(file)
                #expect(object["rows"] is Int && object["bytes"] is Int && object["seconds"] is Double, "\(file)")
                #expect(object["la"] is String && object["year"] is Int, "\(file)")
            }
        }
        #expect(reads == Set(sampleFiles.map { TestSupport.samples + "/" + $0 }))
    }

    @Test func quietSaysNothingWhileWorking() throws {
        let result = try ingest(["--quiet"])
        #expect(result.status == 2 && result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("5 returns loaded"))
    }

    @Test func aTerminalGetsAProgressBar() throws {
        // `script` gives rcc a terminal for its standard error (util-linux; skipped where it is missing).
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            print("NOTICE: progress bar test skipped: /usr/bin/script is missing")
            return
        }
        let warehouse = folder.appendingPathComponent("tty.sqlite").path
        let command = [Self.rcc, "ingest", "--warehouse", warehouse, "--key-file", try key(), "--schemas", TestSupport.schemas, TestSupport.samples]
            .map { "'\($0)'" }.joined(separator: " ")
        let result = try TestSupport.run("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stdout.contains("\r\u{1B}[2K350 ssda903 2025 header.csv"), "the bar names the return and the file")
        #expect(result.stdout.contains("100%") && result.stdout.contains("rows/s"))
        #expect(!result.stdout.contains(": read \(TestSupport.samples)/"), "no log line per file when there is a bar")
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
