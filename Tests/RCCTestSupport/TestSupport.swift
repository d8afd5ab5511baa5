import Foundation
import RCCCore

/// Paths and helpers the tests share.
public enum TestSupport {
    /// The repository root (this file is Tests/RCCTestSupport/TestSupport.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var schemas: String { root.appendingPathComponent("schemas").path }
    public static var samples: String { root.appendingPathComponent("samples").path }

    /// The repository's schemas, loaded once.
    public static let catalog: SchemaCatalog = try! SchemaCatalog.load(from: root.appendingPathComponent("schemas").path)

    /// A new empty folder under this test process's own temporary folder, which is removed when the
    /// process exits (so a run of the suite leaves nothing behind in /tmp).
    public static func temporaryFolder(_ label: String = "rcc-test") throws -> URL {
        let url = testProcessFolder.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Starts a program in the background, its output discarded; the caller waits or kills it.
    public static func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A synthetic SSDA903 return (Header and Episodes) of `children` children with `episodes` episodes
    /// each, written to `folder` as header.csv and episodes.csv. All values are made up.
    public static func writeSyntheticReturn(children: Int, episodes: Int, to folder: URL, seed: Int = 1) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        var rows = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        for n in 0..<children {
            let child = "S\(seed)\(100000 + n)"
            header += "\(child),\(n % 2 == 0 ? "M" : "F"),\(1 + n % 28)/\(1 + n % 12)/\(2008 + n % 15),WBRI,UN\(1 + n % 5),,\n"
            for e in 0..<episodes {
                let start = "\(1 + e)/05/2024", end = e == episodes - 1 ? "" : "\(2 + e)/05/2024"
                rows += "\(child),\(start),\(e == 0 ? "S" : "P"),C2,N1,U6,PR1,\(end),\(end.isEmpty ? "" : "X1"),,M1 1AE,M14 5RT,\n"
            }
        }
        try write(header, to: folder.appendingPathComponent("header.csv"))
        try write(rows, to: folder.appendingPathComponent("episodes.csv"))
    }

    public struct ProcessResult: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs a program to completion, capturing its output.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        // Output goes to files, so that neither stream can fill a pipe and stall the process.
        let folder = try temporaryFolder("rcc-process")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// `$TMPDIR/rcc-tests-PID`, made on first use; an exit handler removes it with everything in it.
/// (Swift Testing has no suite-wide teardown; the tests' folders are made in `init`s of value types.)
private let testProcessFolder: URL = {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("rcc-tests-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: testProcessFolder) }
    return url
}()
