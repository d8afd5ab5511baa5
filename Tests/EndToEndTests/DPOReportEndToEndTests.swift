import Foundation
import RCCCore
import RCCTestSupport
import Testing

/// Runs the built `rcc ingest` on the samples, then `rcc report dpo`, and checks its JSON, HTML and
/// exit status: clean after ingest, 2 once a raw identifier is planted, and never a value shown.
@Suite(.serialized) struct DPOReportEndToEndTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    let folder: URL
    init() throws { folder = try TestSupport.temporaryFolder("rcc-e2e-dpo") }

    func report(_ warehouse: String, out: String, extra: [String] = []) throws -> (TestSupport.ProcessResult, [String: Any], String) {
        let result = try TestSupport.run(Self.rcc, ["report", "dpo", "--warehouse", warehouse, "--schemas", TestSupport.schemas,
                                                    "--out", out] + extra)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/dpo-report.json"))) as? [String: Any] ?? [:]
        let html = try String(contentsOfFile: out + "/dpo-report.html", encoding: .utf8)
        return (result, json, html)
    }

    @Test(arguments: TestWarehouses.engines)
    func reportsTheSamplesCleanAndCatchesAPlantedIdentifier(engine: TestWarehouses.Engine) throws {
        let key = folder.appendingPathComponent("key-\(engine)").path
        #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        let ingest = try TestSupport.run(Self.rcc, ["ingest", "--quiet", "--warehouse", warehouse, "--key-file", key,
                                                    "--schemas", TestSupport.schemas, TestSupport.samples])
        #expect([0, 2].contains(ingest.status), "ingest: \(ingest.stderr)")
        let fingerprint = try TestWarehouses.sql(warehouse, "SELECT DISTINCT key_fingerprint FROM loads WHERE status = 'current'")

        let out = folder.appendingPathComponent("reports-\(engine)").path
        let (clean, json, html) = try report(warehouse, out: out, extra: ["--k", "3"])
        #expect(clean.status == 0, "report: \(clean.stderr)")
        #expect(json["k"] as? Int == 3)
        #expect((json["keyFingerprints"] as? [[String: Any]])?.map { $0["fingerprint"] as? String } == [fingerprint])
        let scan = json["scan"] as? [String: Any] ?? [:]
        #expect((scan["hits"] as? [Any])?.isEmpty == true && scan["clean"] as? Bool == true && (scan["values"] as? Int ?? 0) > 0)
        let rows = (json["rowCounts"] as? [[String: Any]] ?? []).filter { $0["table"] as? String == "children" }
        #expect(Set(rows.compactMap { $0["la"] as? String }) == ["350", "352", "357", "886"])
        #expect(html.contains(fingerprint) && html.contains("no UPN, full postcode, full date of birth found"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))

        // A raw UPN planted into a kept text column: found, counted, exit 2, and never shown.
        let upn = "L352200024123"
        _ = try TestWarehouses.sql(warehouse, "UPDATE care_episodes SET place_provider = '\(upn)' WHERE la = '352'")
        let (dirty, dirtyJSON, dirtyHTML) = try report(warehouse, out: out)
        #expect(dirty.status == 2)
        #expect((dirtyJSON["scan"] as? [String: Any])?["clean"] as? Bool == false)
        let hits = (dirtyJSON["scan"] as? [String: Any])?["hits"] as? [[String: Any]] ?? []
        #expect(hits.count == 1 && hits.first?["table"] as? String == "care_episodes" && hits.first?["column"] as? String == "place_provider")
        #expect((hits.first?["upn"] as? Int ?? 0) > 0)
        let jsonText = try String(contentsOfFile: out + "/dpo-report.json", encoding: .utf8)
        for text in [dirty.stdout, dirty.stderr, dirtyHTML, jsonText] {
            let shown = text.contains(upn)
            #expect(!shown, "the report shows the planted UPN")
        }
    }

    @Test(arguments: TestWarehouses.engines)
    func aSufficiencyWarehouseHoldsOnlyItsProfileAndTheReportSaysWhatIsLeftOut(engine: TestWarehouses.Engine) throws {
        let key = folder.appendingPathComponent("key-s-\(engine)").path
        #expect(try TestSupport.run(Self.rcc, ["keygen", "--out", key]).status == 0)
        let warehouse = try TestWarehouses.fresh(engine, in: folder)
        let summaryPath = folder.appendingPathComponent("s-\(engine).json").path
        let ingest = try TestSupport.run(Self.rcc, ["ingest", "--warehouse", warehouse, "--key-file", key, "--profile", "sufficiency",
                                                    "--schemas", TestSupport.schemas, "--summary", summaryPath, TestSupport.samples])
        #expect([0, 2].contains(ingest.status), "ingest: \(ingest.stderr)")
        #expect(ingest.stdout.contains("profile sufficiency"))
        #expect(ingest.stdout.contains("cin.referral: 20 valid rows not loaded: the sufficiency profile keeps no regional table they fill"))
        #expect(try TestWarehouses.sql(warehouse, "SELECT COUNT(*) FROM children WHERE la = '352'") == "60")
        #expect(throws: (any Error).self) { _ = try TestWarehouses.sql(warehouse, "SELECT COUNT(upn) FROM children") }
        #expect(throws: (any Error).self) { _ = try TestWarehouses.sql(warehouse, "SELECT COUNT(*) FROM cin_referrals") }

        // Another profile into the same warehouse is refused as a usage error, and nothing changes.
        let full = try TestSupport.run(Self.rcc, ["ingest", "--quiet", "--warehouse", warehouse, "--key-file", key,
                                                  "--schemas", TestSupport.schemas, TestSupport.samples])
        #expect(full.status == 64 && full.stderr.contains("--profile sufficiency"), "\(full.stderr)")
        #expect(try TestWarehouses.sql(warehouse, "SELECT COUNT(*) FROM loads") == "5")

        let out = folder.appendingPathComponent("s-reports-\(engine)").path
        let result = try TestSupport.run(Self.rcc, ["report", "dpo", "--warehouse", warehouse, "--schemas", TestSupport.schemas,
                                                    "--key-file", key, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Profile: sufficiency") && result.stdout.contains("LA child ids: run against"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/dpo-report.json"))) as? [String: Any] ?? [:]
        #expect((json["profile"] as? [String: Any])?["id"] as? String == "sufficiency")
        let tables = json["tables"] as? [[String: Any]] ?? []
        let children = tables.first { $0["name"] as? String == "children" }
        let upn = (children?["columns"] as? [[String: Any]])?.first { $0["name"] as? String == "upn" }
        #expect(upn?["treatment"] as? String == "left-out")
        #expect(tables.first { $0["name"] as? String == "cin_referrals" }?["inProfile"] as? Bool == false)
        let html = try String(contentsOfFile: out + "/dpo-report.html", encoding: .utf8)
        #expect(html.contains("Placement sufficiency") && html.contains("left out by the profile"))

        // A raw LA child id planted in a kept column: found with the key, exit 2, never shown.
        let header = try String(contentsOfFile: TestSupport.samples + "/350/2025/header.csv", encoding: .utf8)
        let id = String(header.split(separator: "\n")[1].split(separator: ",")[0])
        _ = try TestWarehouses.sql(warehouse, "UPDATE care_episodes SET urn = '\(id)' WHERE la = '350'")
        let dirty = try TestSupport.run(Self.rcc, ["report", "dpo", "--warehouse", warehouse, "--schemas", TestSupport.schemas,
                                                   "--key-file", key, "--out", out])
        #expect(dirty.status == 2)
        #expect(dirty.stdout.contains("care_episodes.urn") && !dirty.stdout.contains(id))
        let written = try String(contentsOfFile: out + "/dpo-report.json", encoding: .utf8)
            + (try String(contentsOfFile: out + "/dpo-report.html", encoding: .utf8))
        #expect(!written.contains(id))
    }
}
