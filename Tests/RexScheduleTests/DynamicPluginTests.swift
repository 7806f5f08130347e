import Foundation
@testable import LawfitCore
import Testing
import TestSupport

/// The run-time plugin: `make test` builds `libRexSchedulePlugin.so` first; these tests load it with
/// `DynamicPluginLoader` and use its schedule, and check the errors for bad plugins.
@Suite(.serialized) struct DynamicPluginTests {
    /// The plugin built by `swift build --product RexSchedulePlugin`; a failed expectation if missing.
    static func builtPlugin() throws -> String {
        let path = SharedData.repositoryRoot.appendingPathComponent(".build/debug/libRexSchedulePlugin.so").path
        try #require(
            FileManager.default.fileExists(atPath: path),
            "\(path) is missing: run `swift build --product RexSchedulePlugin` before `swift test` (make test does)")
        return path
    }

    static func builtinRegistry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        return registry
    }

    @Test func loadsThePluginAndUsesItsSchedule() throws {
        let path = try Self.builtPlugin()
        let registry = try Self.builtinRegistry()
        let names = try DynamicPluginLoader.load(path: path, into: registry)
        #expect(names == ["schedule:rex"])
        #expect(registry.origin(of: "rex", kind: "schedule") == path)
        let rex = try ScheduleSpec.parse("rex(peak=3e-4, total=1000)", registry: registry)
        #expect(abs(rex.rate(at: 250) - 3e-4 * 0.75 / 0.875) <= 1e-19)
        #expect(rex.spec == "rex(peak=0.0003, total=1000)")
        // Intrinsic time through DenseSchedule, against the closed form summed here.
        let dense = DenseSchedule(rex)
        var tau = 0.0
        for k in 1...1000 {
            let z = 1 - Double(k) / 1000
            tau += 3e-4 * z / (0.5 + 0.5 * z)
        }
        #expect(abs(dense.intrinsicTime[1000] - tau) <= 1e-15 * tau)
        // Composes with a built-in and round-trips through its spec.
        let warm = try ScheduleSpec.parse("warmup(steps=100, schedule=\(rex.spec))", registry: registry)
        #expect(DenseSchedule(try ScheduleSpec.parse(warm.spec, registry: registry)).rates == DenseSchedule(warm).rates)
    }

    @Test func pluginFactoryErrorsArriveAsLawfitErrors() throws {
        let registry = try Self.builtinRegistry()
        try DynamicPluginLoader.load(path: try Self.builtPlugin(), into: registry)
        let error = try #require(throws: LawfitError.self) { try ScheduleSpec.parse("rex(peak=-1, total=10)", registry: registry) }
        #expect(error.message.contains("rex: parameter 'peak' must be finite and > 0, got -1"))
        let unknown = try #require(throws: LawfitError.self) { try ScheduleSpec.parse("rex(peak=1, total=10, floor=0)", registry: registry) }
        #expect(unknown.message.hasPrefix("rex: unknown parameter 'floor' at character 23"))
        #expect(unknown.message.contains("it accepts peak, total"))
    }

    @Test func loadingTwiceIsANameClash() throws {
        let path = try Self.builtPlugin()
        let registry = try Self.builtinRegistry()
        try DynamicPluginLoader.load(path: path, into: registry)
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path: path, into: registry) }
        #expect(error.message == "a schedule named 'rex' is already registered (from \(path)); names must be unique")
    }

    @Test func aClashKeepsTheFirstRegistration() throws {
        let path = try Self.builtPlugin()
        let registry = PluginRegistry()
        let mine = ScheduleFactory(name: "rex", summary: "a user's own rex", parameters: []) { _ in try ConstantSchedule(peak: 1, total: 1) }
        try registry.register(schedule: mine, origin: "my code")
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path: path, into: registry) }
        #expect(error.message == "a schedule named 'rex' is already registered (from my code); names must be unique")
        #expect(registry.origin(of: "rex", kind: "schedule") == "my code")
        #expect(registry.schedules.map(\.name) == ["rex"])
    }

    @Test func versionMismatchIsReported() throws {
        let path = try Self.builtPlugin()
        let registry = PluginRegistry()
        let error = try #require(throws: LawfitError.self) {
            try DynamicPluginLoader.load(path: path, into: registry, hostVersion: PluginABI.version + 1)
        }
        #expect(error.message == "plugin ABI version mismatch: the plugin was built for Lawfit plugin ABI version \(PluginABI.version), this Lawfit uses version \(PluginABI.version + 1); rebuild the plugin against this Lawfit")
        #expect(error.location?.file == path)
        #expect(registry.schedules.isEmpty)
    }

    @Test func missingFile() throws {
        let path = SharedData.fixture("bad/no_such_plugin.so").path
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path: path, into: PluginRegistry()) }
        #expect(error.description == "\(path): plugin file not found")
    }

    @Test func fileThatIsNotALibrary() throws {
        let path = SharedData.fixture("bad/not_a_plugin.so").path
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path: path, into: PluginRegistry()) }
        #expect(error.message.hasPrefix("cannot load the plugin library: "))
        #expect(error.message.contains("not_a_plugin.so"))  // dlerror names the file and the reason
        #expect(error.kind == .input)
    }

    @Test func libraryWithoutTheEntryPoint() throws {
        let candidates = ["/lib/x86_64-linux-gnu/libnlopt.so.0", "/usr/lib/x86_64-linux-gnu/libnlopt.so.0",
                          "/lib/aarch64-linux-gnu/libnlopt.so.0", "/usr/lib/aarch64-linux-gnu/libnlopt.so.0"]
        let path = try #require(candidates.first { FileManager.default.fileExists(atPath: $0) }, "libnlopt.so.0 (libnlopt-dev) not found")
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path: path, into: PluginRegistry()) }
        #expect(error.message == "not a Lawfit plugin: the library exports no 'lawfit_register_plugin' function (see Docs/WritingPlugins.md)")
        #expect(error.location?.file == path)
    }
}
