import Foundation
@testable import Pipeline
import RCCCore
import RCCTestSupport
import Testing

@Suite struct InboxScanTests {
    let inbox: URL
    let now = Date()

    init() throws { inbox = try TestSupport.temporaryFolder("rcc-inbox-scan") }

    func file(_ name: String, age: Double) throws {
        let url = inbox.appendingPathComponent(name)
        try TestSupport.write("x", to: url)
        try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-age)], ofItemAtPath: url.path)
    }

    @Test func aFileIsCompleteOnceSettledAndAFolderOnceItHoldsREADY() throws {
        try file("old.csv", age: 61)
        try file("new.csv", age: 5)
        try file("ahead.csv", age: -3600)
        try file("with-ready/header.csv", age: 0)
        try file("with-ready/READY", age: 0)
        try file("without-ready/header.csv", age: 3600)
        let survey = try InboxScan.survey(inbox: inbox.path, settleSeconds: 60, now: now)
        #expect(survey.ready == [InboxEntry(name: "old.csv", kind: .file), InboxEntry(name: "with-ready", kind: .folder)])
        #expect(survey.waiting.map(\.name) == ["ahead.csv", "new.csv", "without-ready"])
        #expect(survey.waiting[0].why.contains("in the future"))
        #expect(survey.waiting[1].why.contains("modified 5 s ago"))
        #expect(survey.interrupted.isEmpty && !survey.isEmpty)
    }

    @Test func hiddenEntriesAndTheInboxsOwnFoldersAreIgnored() throws {
        for name in [".upload.csv.part", ".rcc-inbox.lock", "done/2025-01-01/x.csv", "failed/2025-01-01/y.csv", "READY", "manifest.yaml"] {
            try file(name, age: 3600)
        }
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("link.csv").path, withDestinationPath: "/etc/hostname")
        try file("processing/352-2025/READY", age: 3600)
        try file("processing/.352-2025.attempts", age: 3600)
        let survey = try InboxScan.survey(inbox: inbox.path, settleSeconds: 0, now: now)
        #expect(survey.ready == [InboxEntry(name: "link.csv", kind: .unreadable("a symbolic link"))])
        #expect(survey.waiting.isEmpty)
        #expect(survey.interrupted == [InboxEntry(name: "352-2025", kind: .folder)])
    }

    @Test func anEmptyInboxHasNothingToDo() throws {
        let survey = try InboxScan.survey(inbox: inbox.path, settleSeconds: 60)
        #expect(survey.isEmpty && survey.waiting.isEmpty)
    }

    @Test func theLockIsHeldByOnePassAtATime() throws {
        let first = try #require(try InboxLock.acquire(inbox: inbox.path))
        #expect(InboxLock.holder(inbox: inbox.path)?.hasPrefix("pid \(getpid()) since ") == true)
        #expect(try InboxLock.acquire(inbox: inbox.path) == nil)
        withExtendedLifetime(first) {}
    }

    @Test func theLockIsFreeAgainOnceReleased() throws {
        do { _ = try #require(try InboxLock.acquire(inbox: inbox.path)) }
        #expect(try InboxLock.acquire(inbox: inbox.path) != nil)
    }

    @Test func reasonsNameEachRefusedSourceAndReturnWithoutValues() {
        var summary = RunSummary(runID: "r", startedAt: "", warehouse: "w", keyFingerprint: "k", schemaVersion: "s")
        #expect(InboxPass.reasons(summary) == ["there is nothing in it to read (no files besides READY and manifests)"])
        var source = RunSummary.Source(path: "p/a.csv")
        source.rejected = "the file is empty"
        summary.sources = [source, RunSummary.Source(path: "p/b.csv")]
        var failedLoad = RunSummary.Return(la: "352", collection: "ssda903", year: 2025, status: .rejected)
        failedLoad.reason = "not loaded: disk full"
        summary.returns = [failedLoad, RunSummary.Return(la: "350", collection: "ssda903", year: 2025, status: .loaded)]
        #expect(InboxPass.reasons(summary) == ["p/a.csv: the file is empty", "return LA 352 ssda903 2025: not loaded: disk full"])
    }
}
