// swift-tools-version:6.0
import PackageDescription

/// Release builds leave out the run-time exclusivity checks (`swift_beginAccess`/`swift_endAccess` on
/// every access to a class's stored property): about 4% of an ingest's CPU samples. Debug builds, which
/// `make test` runs, keep them, so the tests still catch an overlapping access.
let releaseSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// The RCC pipeline: extract → validate → transform → load, one target per stage.
/// C libraries (zlib, libxml2, SQLite) are system-library targets; Swift packages come from the mirror.
let package = Package(
    name: "rcc-pipeline",
    // macOS 15 at least: `Mutex` and `Atomic` (the Synchronization module) are there from macOS 15 on.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rcc", targets: ["rcc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // System C libraries.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The allocator: jemalloc on Linux (libjemalloc-dev), set up in allocator.c.
        .target(name: "Allocator", linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]),

        // What every stage speaks: records, locations, diagnostics, schema types and their loading.
        .target(name: "RCCCore", dependencies: [
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: releaseSettings),
        // Stage 1: byte sources, sniffing, decoding, CSV/XML readers, table recognition.
        .target(name: "Extract", dependencies: ["RCCCore", "CZlib", "CLibXML2"], swiftSettings: releaseSettings),
        // Stage 2: field and cross-table checks compiled from schemas/, quarantine split.
        .target(name: "Validate", dependencies: ["RCCCore"], swiftSettings: releaseSettings),
        // Stage 3: mapping to the regional schema, pseudonyms, coarsening.
        .target(name: "Transform", dependencies: [
            "RCCCore",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: releaseSettings),
        // Stage 4: the Warehouse protocol and DDL from the regional schema; engines in their own modules.
        .target(name: "Load", dependencies: ["RCCCore"], swiftSettings: releaseSettings),
        .target(name: "LoadSQLite", dependencies: ["Load", "RCCCore", "CSQLite"], swiftSettings: releaseSettings),
        .target(name: "LoadPostgres", dependencies: [
            "Load", "RCCCore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: releaseSettings),
        // Run summaries (text and JSON); later the validation and DPO reports.
        .target(name: "Reports", dependencies: ["RCCCore", "Load", "Validate", "Transform"], swiftSettings: releaseSettings),
        // Runs the stages over returns.
        .target(name: "Pipeline", dependencies: [
            "RCCCore", "Extract", "Validate", "Transform", "Load", "Reports",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: releaseSettings),
        // The command line: parses, calls Pipeline, prints.
        .executableTarget(name: "rcc", dependencies: [
            "Pipeline", "RCCCore", "Reports", "Transform", "Load", "LoadSQLite", "LoadPostgres", "Extract", "Allocator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: releaseSettings),

        // Helpers the test targets share: the repository's schemas and samples, temporary folders, processes.
        .target(name: "RCCTestSupport", dependencies: ["RCCCore"], path: "Tests/RCCTestSupport"),
        .testTarget(name: "RCCCoreTests", dependencies: ["RCCCore", "RCCTestSupport"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "RCCCore", "RCCTestSupport"]),
        .testTarget(name: "ValidateTests", dependencies: ["Validate", "RCCCore", "RCCTestSupport"]),
        .testTarget(name: "TransformTests", dependencies: [
            "Transform", "RCCCore", "RCCTestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "LoadTests", dependencies: ["Load", "LoadSQLite", "LoadPostgres", "RCCCore", "RCCTestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "RCCCore", "LoadSQLite", "LoadPostgres", "Load", "Transform", "RCCTestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "RCCCore", "RCCTestSupport", "Validate"]),
        .testTarget(name: "EndToEndTests", dependencies: ["RCCCore", "RCCTestSupport", "Extract", "Allocator"]),
    ],
    swiftLanguageModes: [.v6]
)
