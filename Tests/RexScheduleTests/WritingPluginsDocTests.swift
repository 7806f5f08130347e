import Foundation
import Testing
import TestSupport

/// The tutorials show the packages in Fixtures/WritingPlugins (built and run by
/// `make plugin-tutorials`): every file of each package must appear in its page verbatim, as a
/// Swift block.
@Suite struct WritingPluginsDocTests {
    @Test(arguments: [("MySchedule", "WritingPlugins.md"), ("MyLaw", "WritingLawPlugins.md")])
    func tutorialShowsEveryFileOfItsPackage(package: String, page: String) throws {
        let doc = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Docs/\(page)"), encoding: .utf8)
        let folder = SharedData.fixture("WritingPlugins/\(package)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(".swift") }.sorted()
        #expect(files.count >= 5, "\(files)")
        for path in files {
            let file = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            #expect(doc.contains("```swift\n" + file + "```\n"), "\(package)/\(path) differs from its block in Docs/\(page)")
        }
    }
}
