import Foundation
import Testing
import TestSupport

/// `lawfit plugins --check` and `--plugin` through the executable, with the REX example plugin that
/// `make test` builds first.
@Suite struct PluginsCommandTests {
    static let buildFolder = SharedData.repositoryRoot.appendingPathComponent(".build/debug")

    @Test func checkReportsEveryCheckOfTheExamplePlugin() throws {
        let outcome = try LawfitProcess.run(["plugins", "--check", ".build/debug/libRexSchedulePlugin.so"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("loaded \(Self.buildFolder.resolvingSymlinksInPath().path)/libRexSchedulePlugin.so: schedule:rex (ABI fingerprint ") == true)
        #expect(lines.filter { $0.hasPrefix("ok   schedule rex: ") }.count == 5)
        #expect(lines.last == "5 checks, 0 failed")
    }

    /// README's example: `lawfit --plugin libMyPlugin.so` with the library in the current folder.
    @Test func bareFileNameInTheCurrentFolderLoads() throws {
        let outcome = try LawfitProcess.run(
            ["--plugin", "libRexSchedulePlugin.so", "schedule", "show", "rex(peak=3e-4, total=100)", "--steps", "0:100:50"], in: Self.buildFolder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("  50  0.00019999999999999998"))
    }

    @Test func checkOfALibraryThatIsNotAPluginIsAnInputError() throws {
        let outcome = try LawfitProcess.run(["plugins", "--check", "Fixtures/bad/not_a_plugin.so"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("lawfit: error: Fixtures/bad/not_a_plugin.so: not a plugin library"))
    }
}
