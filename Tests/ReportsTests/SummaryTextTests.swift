import RCCCore
import Reports
import Testing

@Suite struct SummaryTextTests {
    func summary() -> RunSummary {
        var summary = RunSummary(runID: "r1", startedAt: "t", warehouse: "w.sqlite", keyFingerprint: "sha256:abc", schemaVersion: "sha256:def")
        var header = RunSummary.Source(path: "in/352/h.csv")
        header.table = "ssda903.header"; header.la = "352"; header.year = 2025; header.collection = "ssda903"
        header.rowsRead = 10; header.rowsLoaded = 9; header.rowsQuarantined = 1
        header.quarantineReasons = [RunSummary.Reason(rule: "ssda903.header.DOB.date", dfe: "dfe.ssda903.102", field: "DOB",
                                                      message: "DOB is not a valid date in dd/mm/yyyy.", count: 1)]
        var refused = RunSummary.Source(path: "in/notes.txt")
        refused.rejected = "the header matches no known table"
        summary.sources = [header, refused]
        var loaded = RunSummary.Return(la: "352", collection: "ssda903", year: 2025, status: .loaded, rowsRead: 10, rowsLoaded: 9, rowsQuarantined: 1)
        loaded.loadID = 4
        loaded.replacedLoadID = 2
        summary.returns = [loaded]
        return summary
    }

    @Test func showsCountsPerLAAndTableWithReasonsAndRefusals() {
        let text = SummaryText.render(summary(), laNames: ["352": "Manchester"])
        let row = text.split(separator: "\n").first { $0.hasPrefix("352") }.map(String.init) ?? ""
        #expect(row.contains("Manchester") && row.contains("ssda903.header") && row.contains("loaded as load 4, replacing load 2"))
        #expect(row.split(separator: " ").contains("10") && row.split(separator: " ").contains("9"))
        #expect(text.contains("1 × ssda903.header.DOB.date [dfe.ssda903.102]: DOB is not a valid date"))
        #expect(text.contains("in/notes.txt: the header matches no known table"))
        #expect(text.hasSuffix("1 return loaded, 0 unchanged, 0 not loaded; 10 rows read, 9 loaded, 1 quarantined, 0 findings."))
    }

    @Test func saysSoWhenThereIsNothing() {
        var empty = summary()
        empty.sources = []
        empty.returns = []
        #expect(SummaryText.render(empty).contains("No returns found."))
    }
}
