// swift-tools-version:6.0
import PackageDescription

let lawfitCore = Target.Dependency.product(name: "LawfitCore", package: "Lawfit")

let package = Package(
    name: "MySchedule",
    products: [
        // The run-time plugin (section 3): `lawfit --plugin .build/release/libMySchedulePlugin.so ...`
        .library(name: "MySchedulePlugin", type: .dynamic, targets: ["MySchedulePluginEntry"]),
        // The schedule itself, for Swift programs (section 2) and for building into lawfit (section 4).
        .library(name: "MySchedule", targets: ["MySchedule"]),
    ],
    dependencies: [
        // Your Lawfit checkout: the path is yours, the name is the package's own ("Lawfit").
        .package(name: "Lawfit", path: "../lawfit"),
    ],
    targets: [
        .target(name: "MySchedule", dependencies: [lawfitCore]),
        .target(name: "MySchedulePluginEntry", dependencies: ["MySchedule", lawfitCore]),
        .executableTarget(name: "knee-table", dependencies: ["MySchedule", lawfitCore]),
        .testTarget(
            name: "MyScheduleTests",
            dependencies: ["MySchedule", lawfitCore, .product(name: "LawfitPluginTesting", package: "Lawfit")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
