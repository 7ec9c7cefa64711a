// swift-tools-version: 6.0
// BulkRunner: bulk jobs against the AWS Marketplace Catalog API from a spreadsheet.
// Toolchain only: no package dependencies, by policy.
import PackageDescription

/// Compiler settings are policy: every target gets them.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "BulkRunner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bulkrunner", targets: ["BulkRunnerMain"]),
        .executable(name: "csv-bench", targets: ["CSVBench"]),
        .executable(name: "plan-bench", targets: ["PlanBench"]),
        .executable(name: "run-bench", targets: ["RunBench"]),
        .library(name: "CSVKit", targets: ["CSVKit"]),
        .library(name: "Clocks", targets: ["Clocks"]),
        .library(name: "Hashing", targets: ["Hashing"]),
        .library(name: "CatalogModels", targets: ["CatalogModels"]),
        .library(name: "CatalogClient", targets: ["CatalogClient"]),
        .library(name: "CatalogEmulator", targets: ["CatalogEmulator"]),
        .library(name: "BulkRunner", targets: ["BulkRunner"]),
    ],
    dependencies: [],
    targets: [
        // Streaming RFC 4180 reader and spreadsheet-safe writer.
        .target(name: "CSVKit", swiftSettings: settings),
        // Injected time and randomness: the system clock, a virtual clock for tests, SplitMix64.
        .target(name: "Clocks", swiftSettings: settings),
        // Codable shapes of the Catalog API, JSONValue, CatalogAPI protocol, errors, value checks.
        .target(name: "CatalogModels", swiftSettings: settings),
        // SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): signing, and the engine's request tokens.
        .target(name: "Hashing", swiftSettings: settings),
        // SigV4, credential chain, endpoint resolution, rest-json HTTP client.
        .target(name: "CatalogClient", dependencies: ["CatalogModels", "Hashing"], swiftSettings: settings),
        // The service's rules in process, and a loopback HTTP front speaking the wire protocol.
        .target(name: "CatalogEmulator", dependencies: ["CatalogModels", "CatalogClient", "Clocks"], swiftSettings: settings),
        // The engine: templates, validation, planning, submission, tracking, journal, results.
        .target(name: "BulkRunner", dependencies: ["CSVKit", "CatalogModels", "Clocks", "Hashing"], swiftSettings: settings),
        // Commands, argument parsing and output; everything the executable does, testable.
        .target(
            name: "BulkRunnerCLI",
            dependencies: ["CSVKit", "CatalogModels", "CatalogClient", "CatalogEmulator", "BulkRunner", "Clocks"],
            swiftSettings: settings
        ),
        // The thin `bulkrunner` executable.
        .executableTarget(name: "BulkRunnerMain", dependencies: ["BulkRunnerCLI"], swiftSettings: settings),
        // `swift run -c release csv-bench`: CSVKit throughput and memory.
        .executableTarget(name: "CSVBench", dependencies: ["CSVKit", "Clocks"], swiftSettings: settings),
        // `swift run -c release plan-bench`: dry-run planning throughput and memory.
        .executableTarget(name: "PlanBench", dependencies: ["BulkRunner", "CSVKit", "CatalogModels"], swiftSettings: settings),
        // `swift run -c release run-bench`: a run against the emulator at the real quotas, beside a one-at-a-time baseline.
        .executableTarget(
            name: "RunBench",
            dependencies: ["BulkRunner", "CatalogEmulator", "Clocks", "CSVKit", "CatalogModels"],
            swiftSettings: settings
        ),
        // Helpers shared by the test targets (locating ../shared/testdata, temp dirs).
        .target(name: "TestSupport", swiftSettings: settings),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "ClocksTests", dependencies: ["Clocks"], swiftSettings: settings),
        .testTarget(name: "CSVKitTests", dependencies: ["CSVKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "CatalogModelsTests", dependencies: ["CatalogModels", "Clocks", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "CatalogClientTests",
            dependencies: ["CatalogClient", "CatalogModels", "Hashing", "TestSupport"],
            exclude: ["SigV4/botocore-interop.json", "RestJSON/botocore-serialization.json"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "CatalogEmulatorTests",
            dependencies: ["CatalogEmulator", "CatalogClient", "CatalogModels", "Clocks", "TestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "BulkRunnerTests",
            dependencies: ["BulkRunner", "CSVKit", "CatalogModels", "CatalogEmulator", "Clocks", "TestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "BulkRunnerCLITests",
            // BulkRunnerMain: `swift test` builds the `bulkrunner` executable the end-to-end tests run.
            dependencies: ["BulkRunnerCLI", "BulkRunnerMain", "TestSupport"],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
