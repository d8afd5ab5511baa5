import Foundation
import RCCTestSupport
import Testing

/// The README's quick start and its user guides, run as written: every `sh` block in those sections,
/// in order, in a copy of the repository (so nothing is written here), with the built rcc on PATH and
/// given to make (so make builds nothing). A line ending in `# exits N…` may end with status N.
/// `make test` is the one command not run: it is what runs this.
@Suite struct ReadmeTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    /// The README sections whose command blocks a user is told to run.
    static let sections = ["## Quick start", "## For a data team", "## Scheduled ingestion", "## Privacy, and a guide"]

    /// The `sh` blocks of the given sections, in order.
    static func blocks(in readme: String) -> [String] {
        var blocks: [String] = [], current: [String]?, inSection = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current == nil && line.hasPrefix("## ") { inSection = sections.contains { line.hasPrefix($0) } }
            if line.hasPrefix("```") {
                if let block = current {
                    blocks.append(block.joined(separator: "\n"))
                    current = nil
                } else if inSection && line == "```sh" {
                    current = []
                }
                continue
            }
            current?.append(line)
        }
        return blocks
    }

    /// A block as bash runs it: continuation lines joined, `make test` left out, `# exits N` honoured.
    static func script(_ block: String) -> String {
        var lines: [String] = []
        for raw in block.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init) {
            let command = raw.components(separatedBy: "#").first!.trimmingCharacters(in: .whitespaces)
            if command.isEmpty || command == "make test" { continue }
            if let range = raw.range(of: #"# exits (\d+)"#, options: .regularExpression) {
                let status = raw[range].split(separator: " ").last!
                lines.append("{ \(command); } || [ $? -eq \(status) ]")
            } else {
                lines.append(raw)
            }
        }
        return "set -e -o pipefail\n" + lines.joined(separator: "\n")
    }

    @Test func theQuickStartAndTheGuidesRunAsWritten() throws {
        let readme = try String(contentsOf: TestSupport.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = Self.blocks(in: readme)
        #expect(blocks.count >= 4, "the README lost its command blocks")
        #expect(blocks.contains { $0.contains("make run") } && blocks.contains { $0.contains("make extract") }
                && blocks.contains { $0.contains("rcc report dpo") })

        let folder = try TestSupport.temporaryFolder("rcc-readme")
        let copy = folder.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["README.md", "Makefile", "samples", "schemas", "deploy"]
        where FileManager.default.fileExists(atPath: TestSupport.root.appendingPathComponent(item).path) {
            try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("rcc").path, withDestinationPath: Self.rcc)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["RCC"] = Self.rcc
        environment.removeValue(forKey: "MAKEFLAGS")
        environment.removeValue(forKey: "MAKELEVEL")

        for (i, block) in blocks.enumerated() {
            let result = try TestSupport.run("/bin/bash", ["-c", Self.script(block)], environment: environment, currentDirectory: copy)
            #expect(result.status == 0, "README block \(i + 1) failed (\(result.status)):\n\(block)\n--- stdout\n\(result.stdout)\n--- stderr\n\(result.stderr)")
            if result.status != 0 { break }
        }
        // What the quick start says make run prints, it prints.
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent("out/warehouse.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent("out/reports/dpo-report.html").path))
    }

    @Test func blocksAreFoundAndExitMarkersHonoured() {
        let readme = "## Quick start\n```sh\nmake run\nmake test    # all tests\n```\n```text\nnot run\n```\n## Design\n```sh\nnot run either\n```\n"
        #expect(Self.blocks(in: readme) == ["make run\nmake test    # all tests"])
        let script = Self.script("rcc ingest x   # exits 2: rows quarantined\nsqlite3 w \\\n  'SELECT 1'")
        #expect(script.contains("{ rcc ingest x; } || [ $? -eq 2 ]"))
        #expect(script.contains("sqlite3 w    'SELECT 1'"))
        #expect(!Self.script("make test").contains("make test"))
    }
}
