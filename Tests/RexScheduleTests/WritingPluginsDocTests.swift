import Foundation
import Testing
import TestSupport

/// Docs/WritingPlugins.md shows the package in Fixtures/WritingPlugins/MySchedule (built and loaded
/// with `lawfit --plugin` as its README says): every file of it must appear in the tutorial verbatim.
@Suite struct WritingPluginsDocTests {
    @Test(arguments: ["Package.swift", "Sources/MySchedule/KneeSchedule.swift"])
    func tutorialShowsTheFixtureFile(path: String) throws {
        let doc = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Docs/WritingPlugins.md"), encoding: .utf8)
        let file = try String(contentsOf: SharedData.fixture("WritingPlugins/MySchedule/\(path)"), encoding: .utf8)
        #expect(doc.contains("```swift\n" + file + "```\n"), "\(path) differs from its block in Docs/WritingPlugins.md")
    }

    /// Plugin.swift is shown in two parts: the registration (section 2) and the entry point (section 3).
    @Test func tutorialShowsThePluginFileInTwoParts() throws {
        let doc = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Docs/WritingPlugins.md"), encoding: .utf8)
        let file = try String(contentsOf: SharedData.fixture("WritingPlugins/MySchedule/Sources/MySchedule/Plugin.swift"), encoding: .utf8)
        let parts = file.components(separatedBy: "\n\n/// The run-time entry point")
        try #require(parts.count == 2)
        #expect(doc.contains("```swift\n" + parts[0] + "\n```\n"))
        #expect(doc.contains("```swift\n/// The run-time entry point" + parts[1] + "```\n"))
    }
}
