// swift-tools-version:6.0
import PackageDescription

let lawfitCore = Target.Dependency.product(name: "LawfitCore", package: "Lawfit")

let package = Package(
    name: "MyLaw",
    products: [
        .library(name: "MyLawPlugin", type: .dynamic, targets: ["MyLawPluginEntry"]),
        .library(name: "MyLaw", targets: ["MyLaw"]),
    ],
    dependencies: [
        .package(name: "Lawfit", path: "../lawfit"),
    ],
    targets: [
        .target(name: "MyLaw", dependencies: [lawfitCore]),
        .target(name: "MyLawPluginEntry", dependencies: ["MyLaw", lawfitCore]),
        .testTarget(
            name: "MyLawTests",
            dependencies: ["MyLaw", lawfitCore, .product(name: "LawfitPluginTesting", package: "Lawfit")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
