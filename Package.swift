// swift-tools-version:6.0
//
// Lawfit: fit, compare and extrapolate neural scaling laws.
//
// Dependency direction (see Docs/Architecture.md):
//   lawfit -> BuiltinPlugins -> plugins -> family support -> LawfitCore -> Optimization -> CNLopt
// Nothing in LawfitCore or Optimization names a plugin; a plugin never imports another plugin.
// Every target declares exactly the modules it imports (SwiftPM would let it import any module its
// dependencies use).

import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let numerics = Target.Dependency.product(name: "Numerics", package: "swift-numerics")

/// Every law family that ships with Lawfit, one SwiftPM target each under `Plugins/`, and what it
/// imports besides LawfitCore. A new family is one line here and its `register(into:)` call in
/// BuiltinPlugins; its tests join `lawPluginTests` if it has a test folder of its own.
let lawPlugins: [(name: String, imports: [Target.Dependency])] = [
    ("ChinchillaLaw", ["ChinchillaKernel"]),
    ("FunctionalScalingLaw", ["LossCurveSupport", "LossCurveKernel"]),
    ("ScheduleLaws", ["LossCurveSupport", "LossCurveKernel"]),
    ("DMFTLaw", ["LossCurveSupport", numerics]),
    ("SparseFeatureLaw", ["Optimization"]),
    ("TwoPhaseLaw", []),
    ("BrokenPowerLaw", []),
]

/// Family support modules under `Plugins/`: what several laws of a family share, which their plugins
/// import. They name no law.
let familySupport: [(name: String, imports: [Target.Dependency])] = [
    // Loss curves under a schedule (Multi-Power, LR-annealing, FSL, DMFT): packed change points and
    // their compression, stepped runs, how default starts follow the runs' scales, the SGD theories'
    // batch setting, and the numerics the DMFT and FSL theories share.
    ("LossCurveSupport", []),
]

/// C kernels of a plugin's inner loops, compiled for AVX2 and the portable baseline and chosen at run
/// time (Swift has no run-time CPU dispatch), and the kernels whose headers each uses: the loss-curve
/// kernel shares the Chinchilla kernel's branch-free exp and log (`fast_math.h`).
let kernels: [(name: String, imports: [Target.Dependency])] = [
    ("ChinchillaKernel", []),
    ("LossCurveKernel", ["ChinchillaKernel"]),
]

/// The law families' test targets (`Tests/<plugin>Tests`) and what each imports besides its plugin,
/// LawfitCore and TestSupport.
let lawPluginTests: [(plugin: String, imports: [Target.Dependency])] = [
    ("ChinchillaLaw", ["ChinchillaKernel", "Optimization"]),
    ("FunctionalScalingLaw", ["LossCurveSupport", "LawfitSimulation", "Optimization"]),
    ("ScheduleLaws", ["LossCurveSupport", "LossCurveKernel", "Optimization"]),
    ("DMFTLaw", ["LawfitSimulation", numerics]),
    ("SparseFeatureLaw", []),
    ("TwoPhaseLaw", []),
    ("BrokenPowerLaw", []),
]

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
        .target(name: "LawfitCore", dependencies: ["Optimization"]),
        .target(name: "LawfitSimulation", dependencies: ["LawfitCore"]),
        .target(
            name: "BuiltinPlugins",
            dependencies: ["LawfitCore"] + lawPlugins.map { .target(name: $0.name) },
            path: "Plugins/BuiltinPlugins"
        ),
        .target(name: "RexSchedule", dependencies: ["LawfitCore"], path: "Plugins/Examples/RexSchedule"),
        .target(name: "RexScheduleEntry", dependencies: ["RexSchedule", "LawfitCore"], path: "Plugins/Examples/RexScheduleEntry"),
        .target(name: "LawfitPluginTesting", dependencies: ["LawfitCore"]),
        .executableTarget(
            name: "lawfit",
            dependencies: ["LawfitCore", "LawfitSimulation", "BuiltinPlugins", "LawfitPluginTesting", "Optimization", argumentParser]
        ),
        .executableTarget(
            name: "lawfit-bench",
            dependencies: [
                "LawfitCore", "LawfitSimulation", "BuiltinPlugins", "Optimization", argumentParser,
                // The benchmarks time laws' evaluators directly.
                "ChinchillaLaw", "DMFTLaw", "FunctionalScalingLaw", "ScheduleLaws", "LossCurveSupport",
            ]
        ),
        .target(name: "TestSupport", dependencies: ["LawfitCore", "Optimization"], path: "Tests/TestSupport"),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization"]),
        .testTarget(name: "LawfitCoreTests", dependencies: ["LawfitCore", "Optimization", "TestSupport"]),
        .testTarget(name: "LawfitSimulationTests", dependencies: ["LawfitSimulation", "LawfitCore", "TestSupport"]),
        .testTarget(name: "LossCurveSupportTests", dependencies: ["LossCurveSupport"]),
        .testTarget(name: "RexScheduleTests", dependencies: ["RexSchedule", "LawfitCore", "LawfitPluginTesting", "BuiltinPlugins", "TestSupport"]),
        .testTarget(name: "LawfitCLITests", dependencies: ["lawfit", "LawfitCore", "LawfitSimulation", "BuiltinPlugins", "TestSupport", argumentParser]),
    ]
        + lawPlugins.map { .target(name: $0.name, dependencies: ["LawfitCore"] + $0.imports, path: "Plugins/\($0.name)") }
        + familySupport.map { .target(name: $0.name, dependencies: ["LawfitCore"] + $0.imports, path: "Plugins/\($0.name)") }
        + kernels.map { .target(name: $0.name, dependencies: $0.imports, path: "Plugins/\($0.name)") }
        + lawPluginTests.map {
            .testTarget(name: "\($0.plugin)Tests", dependencies: [.target(name: $0.plugin), "LawfitCore", "TestSupport"] + $0.imports)
        },
    swiftLanguageModes: [.v6]
)
