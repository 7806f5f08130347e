import Foundation
import Testing
import TestSupport

/// `lawfit compare` keeps going when one candidate cannot be fitted or ends at every bound: the
/// candidate is reported (failed, or ranked with a flag) and the others are ranked.
@Suite("lawfit compare with a bad candidate")
struct CompareCommandTests {
    /// The laws of report.json by name, after `lawfit compare ... --report FOLDER`.
    static func compare(_ file: String, laws: [String]) throws -> [String: [String: Any]] {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LawfitProcess.run(
            ["compare", "--data", file, "--split", "none", "--starts", "4", "--quiet", "--report", folder.path] + laws.flatMap { ["--law", $0] })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as? [String: Any])
        let entries = try #require(report["laws"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: entries.map { ($0["law"] as! String, $0) })
    }

    @Test("a candidate at every bound is ranked last, flagged with the bounds; the fit command refuses it")
    func everyBound() throws {
        let laws = try Self.compare("Fixtures/bad/unreachable_loss.csv", laws: ["sparse-feature", "chinchilla"])
        let pinned = try #require(laws["sparse-feature"])
        #expect(pinned["status"] as? String == "ranked")
        #expect(pinned["rank"] as? Int == 2)
        let flags = try #require(pinned["flags"] as? [String])
        #expect(flags.contains { $0.hasPrefix("every parameter of law 'sparse-feature' ends at a bound of its box (E at its upper bound 100.0") })
        #expect(laws["chinchilla"]?["rank"] as? Int == 1)
    }

    @Test("a candidate whose every start fails is reported as failed with the reason; the other is ranked")
    func failedCandidate() throws {
        let laws = try Self.compare("Fixtures/bad/tiny_inputs.csv", laws: ["kaplan", "chinchilla"])
        let failed = try #require(laws["kaplan"])
        #expect(failed["status"] as? String == "failed")
        #expect(failed["reason"] as? String == "every one of 4 starts of law 'kaplan' failed: the law's prediction is not finite at point 1 (Fixtures/bad/tiny_inputs.csv:2)")
        #expect(laws["chinchilla"]?["status"] as? String == "ranked")
    }
}
