import Foundation
import Pipeline
import RCCCore
import RCCTestSupport
import Testing

@Suite struct RCCConfigTests {
    @Test func readsEverySettingAndAnchorsRelativePathsAtTheFile() throws {
        let config = try RCCConfig.parse("""
            inbox: /srv/rcc/inbox
            warehouse: warehouse.sqlite
            key_file: ../keys/region.key
            profile: sufficiency
            schemas: /usr/local/share/rcc/schemas
            settle_seconds: 30
            run_dir: runs
            limits:
              max_expansion_ratio: 50
              max_total_bytes: 1000000
              max_field_bytes: 4096
            """, file: "/etc/rcc/rcc.yaml")
        #expect(config.inbox == "/srv/rcc/inbox")
        #expect(config.warehouse == "/etc/rcc/warehouse.sqlite")
        #expect(config.keyFile == "/etc/rcc/../keys/region.key")
        #expect(config.profile == "sufficiency" && config.schemas == "/usr/local/share/rcc/schemas")
        #expect(config.settleSeconds == 30 && config.runDir == "/etc/rcc/runs")
        #expect(config.maxExpansionRatio == 50 && config.maxTotalBytes == 1_000_000 && config.maxFieldBytes == 4096)
        #expect(config.file == "/etc/rcc/rcc.yaml")
    }

    @Test func aPostgresURLIsNotAPathAndEmptySettingsSetNothing() throws {
        let config = try RCCConfig.parse("warehouse: postgres://rcc@db:5432/rcc\nprofile:\n", file: "rcc.yaml")
        #expect(config.warehouse == "postgres://rcc@db:5432/rcc")
        #expect(config.profile == nil)
        #expect(try RCCConfig.parse("", file: "rcc.yaml") == RCCConfig(file: "rcc.yaml"))
        #expect(try RCCConfig.parse("# only comments\n", file: "rcc.yaml") == RCCConfig(file: "rcc.yaml"))
    }

    @Test(arguments: [
        ("warehous: w.sqlite", "unknown key `warehous`"),
        ("limits: {max_bytes: 5}", "unknown key `limits.max_bytes`"),
        ("settle_seconds: soon", "settle_seconds takes a number"),
        ("settle_seconds: -1", "settle_seconds takes a number"),
        ("limits: {max_total_bytes: lots}", "max_total_bytes takes a whole number"),
        ("limits: 5", "limits takes a mapping"),
        ("inbox: [a, b]", "inbox takes a single value"),
        ("- inbox", "must be a mapping"),
        ("inbox: [unclosed", "not valid YAML"),
        ("key: 0011", "give `key_file: FILE`"),
    ])
    func aWrongSettingIsAUsageErrorNamingTheFileAndTheKey(text: String, message: String) {
        #expect {
            try RCCConfig.parse(text, file: "/etc/rcc/rcc.yaml")
        } throws: { error in
            let error = error as? RCCError
            return error?.code == .usage && error!.message.contains(message) && error!.message.contains("/etc/rcc/rcc.yaml")
        }
    }

    @Test func theKeyItselfIsNeverRepeatedInTheMessage() {
        let hex = String(repeating: "0f", count: 32)
        #expect { try RCCConfig.parse("key: \(hex)", file: "c.yaml") } throws: { !"\($0)".contains(hex) }
    }

    @Test func theFileIsFoundByOptionThenEnvironment() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.yaml").path, b = folder.appendingPathComponent("b.yaml").path
        try TestSupport.write("profile: a\n", to: URL(fileURLWithPath: a))
        try TestSupport.write("profile: b\n", to: URL(fileURLWithPath: b))
        #expect(try RCCConfig.locate(option: a, environment: ["RCC_CONFIG": b]) == a)
        #expect(try RCCConfig.locate(option: nil, environment: ["RCC_CONFIG": b]) == b)
        #expect(try RCCConfig.resolve(option: nil, environment: ["RCC_CONFIG": b]).profile == "b")
        #expect(throws: RCCError.self) { try RCCConfig.locate(option: folder.appendingPathComponent("none.yaml").path, environment: [:]) }
        #expect(throws: RCCError.self) { try RCCConfig.locate(option: nil, environment: ["RCC_CONFIG": "/nonexistent/rcc.yaml"]) }
    }
}
