// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MySchedule",
    products: [
        // The run-time plugin (section 3): `lawfit --plugin .build/debug/libMySchedulePlugin.so ...`
        .library(name: "MySchedulePlugin", type: .dynamic, targets: ["MySchedule"]),
    ],
    dependencies: [
        .package(path: "../lawfit"),
    ],
    targets: [
        .target(name: "MySchedule", dependencies: [.product(name: "LawfitCore", package: "lawfit")]),
    ],
    swiftLanguageModes: [.v6]
)
