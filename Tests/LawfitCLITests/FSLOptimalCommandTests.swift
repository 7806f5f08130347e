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

    /// A compare report.json of fsl-theory whose bootstrap draws differ only in the capacity (1.3, 1.7,
    /// 2.0; the estimate 1.6). `--law 'fsl-theory(capacity=1.5)'` holds the capacity at 1.5 in the
    /// estimate and in every draw, so all four allocations are the same problem: the intervals collapse
    /// onto the estimate, which is the brute-force optimum above (L = 0.25428 at M = 32, C = 1.2e5).
    /// Without the spec value the draws' capacities spread the intervals (the control).
    @Test("optimal holds law-spec parameter values in every bootstrap draw of a report")
    func specValuesHoldInBootstrapDraws() throws {
        let order = #"["capacity","source","amplitude","noise","lrScale"]"#
        let draws = [1.3, 1.7, 2.0].map { "[\($0),0.5,1,0.1,1]" }.joined(separator: ",")
        let report = #"{"schema_version":1,"plot_axis":"step","laws":[{"law":"fsl-theory","status":"fitted","points":[],"#
            + #""fit":{"parameters":{"capacity":1.6,"source":0.5,"amplitude":1,"noise":0.1,"lrScale":1},"parameter_order":"# + order + "},"
            + #""bootstrap":{"samples":["# + draws + "]}}]}"
        func intervals(_ law: String) throws -> (estimate: [String: Double], intervals: [String: Any]) {
            let folder = try LawfitProcess.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("report.json")
            try Data(report.utf8).write(to: file)
            let outcome = try LawfitProcess.run(["optimal", "--law", law, "--params-file", file.path, "--compute", "1.2e5", "--format", "json"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let json = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
            let optimum = try #require((json["optima"] as? [[String: Any]])?.first)
            let estimate = try ["N", "D", "L"].reduce(into: [String: Double]()) { $0[$1] = try #require(optimum[$1] as? Double) }
            return (estimate, try #require(optimum["intervals"] as? [String: Any]))
        }
        func bounds(_ intervals: [String: Any], _ key: String) throws -> (lower: Double, upper: Double) {
            let interval = try #require(intervals[key] as? [String: Any])
            return (try #require(interval["lower"] as? Double), try #require(interval["upper"] as? Double))
        }
        let held = try intervals("fsl-theory(capacity=1.5)")
        #expect(held.intervals["draws"] as? Int == 3)
        #expect(abs(held.estimate["L"]! / 0.25428 - 1) < 0.01, "L* = \(held.estimate["L"]!)")
        for key in ["N", "D", "L"] {
            let (lower, upper) = try bounds(held.intervals, key)
            let estimate = held.estimate[key]!
            #expect(abs(lower / estimate - 1) <= 1e-12 && abs(upper / estimate - 1) <= 1e-12, "\(key): [\(lower), \(upper)] vs \(estimate)")
        }
        let free = try intervals("fsl-theory")
        let (lower, upper) = try bounds(free.intervals, "L")
        #expect(upper >= lower * 1.05, "the draws' capacities should spread L*: [\(lower), \(upper)]")
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
