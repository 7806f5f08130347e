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

    /// The optimum of `optimal ARGUMENTS --format json` at one budget: N, D, L.
    func optimum(_ arguments: [String], files: [String: String] = [:]) throws -> (n: Double, d: Double, loss: Double) {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        let outcome = try LawfitProcess.run(["optimal", "--format", "json"] + arguments.map { $0.replacingOccurrences(of: "{out}", with: folder.path) })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let optimum = try #require((report["optima"] as? [[String: Any]])?.first)
        return (try #require(optimum["N"] as? Double), try #require(optimum["D"] as? Double), try #require(optimum["L"] as? Double))
    }

    /// The issue's form: `--law fsl-theory --compute C`, parameters from the law spec or from a fit
    /// of fsl-theory (N counts features there: m = 1). Same budget and brute force as above.
    @Test("optimal --law fsl-theory and a law spec with the parameters answer within the brute-force optimum")
    func allocationFromLawSpec() throws {
        let values = "capacity=1.5, source=0.5, amplitude=1, noise=0.1, lrScale=1"
        let fit = #"{"law":"fsl-theory","parameters":{"capacity":1.5,"source":0.5,"amplitude":1,"noise":0.1,"lrScale":1}}"#
        for result in [
            try optimum(["--law", "fsl-theory-scaling(\(values), modeScale=1)", "--compute", "1.2e5"]),
            try optimum(["--law", "fsl-theory(\(values))", "--compute", "1.2e5"]),
            try optimum(["--law", "fsl-theory", "--params-file", "{out}/fit.json", "--compute", "1.2e5"], files: ["fit.json": fit]),
        ] {
            #expect(abs(6 * result.n * result.d / 1.2e5 - 1) < 1e-12)
            #expect(result.n / 32 < 1.25 && 32 / result.n < 1.25, "N* = \(result.n)")
            #expect(abs(result.loss / 0.25428 - 1) < 0.01, "L* = \(result.loss)")
        }
    }

    /// Batch 4 from the law spec on a fit of fsl-theory-scaling: 20,000 mode-steps at C = 6 x 4 x 20,000.
    /// Brute force (FSLTheoryAllocationTests, batch 4): L = 0.21113 at M = 54.
    @Test("optimal --law 'fsl-theory-scaling(batch=4)' applies the batch to a fit's parameters")
    func allocationAtBatchFromSettings() throws {
        let fit = #"{"law":"fsl-theory-scaling","parameters":{"capacity":1.5,"source":0.5,"amplitude":1,"noise":0.1,"lrScale":1,"modeScale":1}}"#
        let result = try optimum(["--law", "fsl-theory-scaling(batch=4)", "--params-file", "{out}/fit.json", "--compute", "4.8e5"], files: ["fit.json": fit])
        #expect(abs(6 * result.n * result.d / 4.8e5 - 1) < 1e-12)
        #expect(result.n / 54 < 1.3 && 54 / result.n < 1.3, "N* = \(result.n)")
        #expect(abs(result.loss / 0.21113 - 1) < 0.01, "L* = \(result.loss)")
    }

    @Test("lawfit plugins lists the FSL laws' settings and fsl-theorem")
    func pluginsListSettings() throws {
        let outcome = try LawfitProcess.run(["plugins"])
        #expect(outcome.status == 0)
        for line in ["settings: fsl-theory-scaling(batch=1, kernel=continuum, decay=0)", "settings: fsl-theory(modes=200, batch=1, kernel=continuum, decay=0)",
                     "settings: fsl-theory-discrete(modes=200, batch=1, kernel=discrete, decay=0)", "settings: fsl-theorem(modes=200, batch=1)"] {
            #expect(outcome.standardOutput.contains(line), "missing '\(line)'")
        }
    }
}
