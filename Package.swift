// swift-tools-version:6.0
//
// Lawfit: fit, compare and extrapolate neural scaling laws.
//
// Dependency direction (see Docs/Architecture.md):
//   lawfit -> BuiltinPlugins -> plugins -> LawfitCore -> Optimization -> CNLopt
// Nothing in LawfitCore or Optimization names a plugin; a plugin never imports another plugin.

import PackageDescription

/// Every law family that ships with Lawfit, one SwiftPM target each under `Plugins/`.
let lawPlugins = [
    "ChinchillaLaw",
    "FunctionalScalingLaw",
    "ScheduleLaws",
    "DMFTLaw",
    "SparseFeatureLaw",
    "TwoPhaseLaw",
    "BrokenPowerLaw",
]

/// C kernels of a plugin's inner loops, compiled for AVX2 and the portable baseline and chosen at run
/// time (Swift has no run-time CPU dispatch): plugin -> its kernel targets under `Plugins/`.
let pluginKernels = [
    "ChinchillaLaw": ["ChinchillaKernel"],
    "ScheduleLaws": ["LossCurveKernel"],
    "FunctionalScalingLaw": ["LossCurveKernel"],
]

/// Kernels that use another's headers: the loss-curve kernel shares the Chinchilla kernel's
/// branch-free exp and log (`fast_math.h`).
let kernelDependencies: [String: [Target.Dependency]] = ["LossCurveKernel": ["ChinchillaKernel"]]

func kernels(of plugin: String) -> [Target.Dependency] {
    pluginKernels[plugin, default: []].map { .target(name: $0) }
}

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let numerics = Target.Dependency.product(name: "Numerics", package: "swift-numerics")

let package = Package(
    name: "Lawfit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LawfitCore", targets: ["LawfitCore"]),
        .library(name: "Optimization", targets: ["Optimization"]),
        .library(name: "LawfitSimulation", targets: ["LawfitSimulation"]),
        .library(name: "BuiltinPlugins", targets: ["BuiltinPlugins"]),
        .executable(name: "lawfit", targets: ["lawfit"]),
        .executable(name: "lawfit-bench", targets: ["lawfit-bench"]),
        // The run-time plugin example: `lawfit --plugin .build/debug/libRexSchedulePlugin.so`.
        .library(name: "RexSchedulePlugin", type: .dynamic, targets: ["RexScheduleEntry"]),
        // Conformance checks for plugin authors' tests (what `lawfit plugins --check` runs).
        .library(name: "LawfitPluginTesting", targets: ["LawfitPluginTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CNLopt",
            pkgConfig: "nlopt",
            providers: [.apt(["libnlopt-dev"])]
        ),
        .target(name: "Optimization", dependencies: ["CNLopt"]),
        .target(name: "LawfitCore", dependencies: ["Optimization", numerics]),
        .target(name: "LawfitSimulation", dependencies: ["LawfitCore", numerics]),
        .target(
            name: "BuiltinPlugins",
            dependencies: lawPlugins.map { .target(name: $0) },
            path: "Plugins/BuiltinPlugins"
        ),
        .target(name: "RexSchedule", dependencies: ["LawfitCore"], path: "Plugins/Examples/RexSchedule"),
        .target(name: "RexScheduleEntry", dependencies: ["RexSchedule", "LawfitCore"], path: "Plugins/Examples/RexScheduleEntry"),
        .target(name: "LawfitPluginTesting", dependencies: ["LawfitCore"]),
        .executableTarget(
            name: "lawfit",
            dependencies: ["LawfitCore", "LawfitSimulation", "BuiltinPlugins", "LawfitPluginTesting", argumentParser]
        ),
        .executableTarget(
            name: "lawfit-bench",
            dependencies: ["LawfitCore", "LawfitSimulation", "BuiltinPlugins", "Optimization", argumentParser]
        ),
        .target(name: "TestSupport", dependencies: ["LawfitCore"], path: "Tests/TestSupport"),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization"]),
        .testTarget(name: "LawfitCoreTests", dependencies: ["LawfitCore", "TestSupport"]),
        .testTarget(name: "LawfitSimulationTests", dependencies: ["LawfitSimulation", "TestSupport"]),
        .testTarget(name: "RexScheduleTests", dependencies: ["RexSchedule", "LawfitCore", "LawfitPluginTesting", "BuiltinPlugins", "TestSupport"]),
        .testTarget(name: "LawfitCLITests", dependencies: ["lawfit", "LawfitSimulation", "TestSupport"]),
    ]
        + lawPlugins.map { .target(name: $0, dependencies: ["LawfitCore", numerics] + kernels(of: $0), path: "Plugins/\($0)") }
        + Set(pluginKernels.values.joined()).sorted().map {
            .target(name: $0, dependencies: kernelDependencies[$0, default: []], path: "Plugins/\($0)")
        }
        + lawPlugins.map {
            .testTarget(
                name: "\($0)Tests",
                dependencies: [.target(name: $0), "LawfitCore", "LawfitSimulation", "TestSupport"] + kernels(of: $0)
            )
        },
    swiftLanguageModes: [.v6]
)
