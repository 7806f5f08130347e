import Foundation
import Testing

@Suite("lawfit optimal --law fsl-theory-scaling --compute")
struct FSLOptimalCommandTests {
    /// Parameters (capacity 1.5, source 0.5, amplitude 1, noise 0.1, lrScale 1, modeScale 1) and
    /// C = 1.2e5 FLOP: 20,000 mode-steps. The brute-force minimum of the functional over M in 4...2000
    /// and constant rates 0.01...1 (FSLTheoryAllocationTests) is L = 0.25428 at M = 32: N* = M* / m.
    @Test("optimal --compute answers from the fsl-theory-scaling fit within the brute-force optimum")
    func allocationFromFit() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("fsl.json")
        try Data(#"{"law":"fsl-theory-scaling","parameters":{"capacity":1.5,"source":0.5,"amplitude":1,"noise":0.1,"lrScale":1,"modeScale":1}}"#.utf8)
            .write(to: file)
        let outcome = try LawfitProcess.run(["optimal", "--params-file", file.path, "--compute", "1.2e5", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let optimum = try #require((report["optima"] as? [[String: Any]])?.first)
        let n = try #require(optimum["N"] as? Double), d = try #require(optimum["D"] as? Double), loss = try #require(optimum["L"] as? Double)
        #expect(abs(6 * n * d / 1.2e5 - 1) < 1e-12)
        #expect(n / 32 < 1.25 && 32 / n < 1.25, "N* = \(n)")
        #expect(abs(loss / 0.25428 - 1) < 0.01, "L* = \(loss)")
    }
}
