import Allocator
import Foundation
import RCCTestSupport
import Testing

/// rcc's malloc is jemalloc with one arena and freed pages returned within a second (Sources/Allocator):
/// glibc's one-arena malloc had rcc's threads take turns on its lock.
#if os(Linux)
@Suite struct AllocatorTests {
    static let rcc: String = ProcessInfo.processInfo.environment["RCC_BIN"]
        ?? TestSupport.root.appendingPathComponent(".build/debug/rcc").path

    @Test func mallocInAProcessLinkingTheAllocatorIsJemallocWithOneArena() throws {
        var buffer = [CChar](repeating: 0, count: 256)
        #expect(rcc_allocator_describe(&buffer, buffer.count) == 0)
        let description = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(description.hasPrefix("jemalloc 5."), "\(description)")
        #expect(description.contains(", 1 arena,"), "\(description)")
        #expect(description.hasSuffix("malloc is jemalloc's"), "\(description)")
    }

    /// jemalloc prints its statistics and settings at exit when asked to (`MALLOC_CONF=stats_print:true`),
    /// if it served any call: they show that the built rcc allocates through it, with the settings compiled in.
    @Test func theBuiltRccAllocatesThroughJemallocWithItsSettings() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["MALLOC_CONF"] = "stats_print:true"
        let result = try TestSupport.run(Self.rcc, ["rules", "--schemas", TestSupport.schemas], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("___ Begin jemalloc statistics ___"))
        #expect(result.stderr.contains("opt.narenas: 1\n"))
        #expect(result.stderr.contains("opt.dirty_decay_ms: 1000"))
        #expect(result.stderr.contains("opt.muzzy_decay_ms: 0"))
    }
}
#endif
