import Foundation
import RCCTestSupport
import Testing

/// deploy/: the systemd service and timer parse (and pass `systemd-analyze verify` where it is
/// installed), the cron line runs the same pass, and the example configuration is one rcc reads.
@Suite struct DeployTests {
    static let rcc = InboxEndToEndTests.rcc
    static let deploy = TestSupport.root.appendingPathComponent("deploy")

    /// Every line of the units is blank, a comment, a known section header or Key=Value, and the
    /// service runs `rcc inbox` as the unprivileged rcc user.
    @Test func theSystemdUnitsParse() throws {
        let sections: Set<String> = ["Unit", "Service", "Timer", "Install"]
        for name in ["rcc-inbox.service", "rcc-inbox.timer"] {
            let text = try String(contentsOf: Self.deploy.appendingPathComponent(name), encoding: .utf8)
            var section: String?
            var keys: [String: String] = [:]
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
                if trimmed.hasPrefix("[") {
                    #expect(trimmed.hasSuffix("]") && sections.contains(String(trimmed.dropFirst().dropLast())), "\(name):\(number + 1): \(line)")
                    section = String(trimmed.dropFirst().dropLast())
                    continue
                }
                let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                #expect(section != nil && parts.count == 2 && !parts[0].isEmpty && parts[0].allSatisfy { $0.isLetter || $0.isNumber },
                        "\(name):\(number + 1): not Key=Value in a section: \(line)")
                #expect(!trimmed.hasSuffix("\\"), "\(name):\(number + 1): no continuation lines")
                if parts.count == 2 { keys["\(section ?? "")." + parts[0]] = String(parts[1]) }
            }
            if name.hasSuffix(".service") {
                #expect(keys["Service.Type"] == "oneshot" && keys["Service.User"] == "rcc" && keys["Service.Group"] == "rcc")
                #expect(keys["Service.ExecStart"] == "/usr/local/bin/rcc inbox --config /etc/rcc/rcc.yaml")
                #expect(keys["Service.NoNewPrivileges"] == "yes" && keys["Service.ProtectSystem"] == "strict" && keys["Service.UMask"] == "0077")
            } else {
                #expect(keys["Timer.Persistent"] == "true" && keys["Timer.Unit"] == "rcc-inbox.service")
                #expect(keys["Install.WantedBy"] == "timers.target")
            }
        }
        // The cron line runs the same pass as the rcc user.
        let cron = try String(contentsOf: Self.deploy.appendingPathComponent("rcc-inbox.cron"), encoding: .utf8)
        let jobs = cron.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.split(separator: " ").count > 6 }
        #expect(jobs == ["*/5 * * * * rcc /usr/local/bin/rcc inbox --config /etc/rcc/rcc.yaml --quiet"])
    }

    /// `systemd-analyze verify` where the machine has it (the `systemd` package); not required in CI.
    @Test func systemdAnalyzeVerifiesTheUnits() throws {
        guard let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("NOTICE: systemd-analyze not found (apt-get install systemd): deploy/ units checked by the plain parse test only")
            return
        }
        // The units name the installed binary; verify them against this build's, which exists here.
        let units = try TestSupport.temporaryFolder("rcc-units")
        defer { try? FileManager.default.removeItem(at: units) }
        for name in ["rcc-inbox.service", "rcc-inbox.timer"] {
            let text = try String(contentsOf: Self.deploy.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/rcc", with: Self.rcc)
            try TestSupport.write(text, to: units.appendingPathComponent(name))
        }
        let result = try TestSupport.run(analyze, ["verify", units.appendingPathComponent("rcc-inbox.service").path,
                                                   units.appendingPathComponent("rcc-inbox.timer").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let complaints = (result.stdout + result.stderr).split(separator: "\n").filter { $0.contains("rcc-inbox") }
        #expect(complaints.isEmpty, "\(complaints)")
    }

    /// The example config is one rcc reads.
    @Test func theExampleConfigIsValid() throws {
        let example = Self.deploy.appendingPathComponent("rcc.yaml.example").path
        let folder = try TestSupport.temporaryFolder("rcc-deploy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("k").path, inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        // Its paths are the server's: override those; every other setting is read from it.
        let result = try TestSupport.run(Self.rcc, ["inbox", "--config", example, "--inbox", inbox.path,
                                                    "--warehouse", folder.appendingPathComponent("w.sqlite").path,
                                                    "--key-file", key, "--schemas", TestSupport.schemas,
                                                    "--run-dir", folder.appendingPathComponent("runs").path, "--quiet"],
                                         environment: InboxEndToEndTests.environment, currentDirectory: folder)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
