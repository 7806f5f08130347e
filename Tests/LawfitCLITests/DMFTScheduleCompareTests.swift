import Foundation
import LawfitSimulation
import Testing
import TestSupport

/// `dmft-sgd` end to end: loss curves simulated by ``RandomFeatureSGDSimulator`` (one-pass SGD on
/// random-feature regression, the exact expectation over data, averaged over feature draws) from known
/// parameters, fitted from the command line. The truth: a = 2.2, b = 1.5, N = 50 features (400 data
/// modes), batch 1, label noise 0.05 (so s = 1, E = 0.05, lrScale = 1 in the law's units). Short
/// curves (120 updates, a point every 12) and one start; still each test takes 1.5-2 min of CPU in a
/// debug build (16-18 min wall on the loaded 2-core machine), so they run only with LAWFIT_SLOW_TESTS=1.
@Suite("dmft-sgd from the command line, on simulated SGD curves")
struct DMFTScheduleCompareTests {
    static let (a, b, features, modes, noise) = (2.2, 1.5, 50, 400, 0.05)
    static let slowTestsEnabled = !(ProcessInfo.processInfo.environment["LAWFIT_SLOW_TESTS"] ?? "").isEmpty
    static let schedules = [
        ("constant", "constant(peak=0.2, total=120)"),
        ("cosine", "cosine(peak=0.2, floor=0, total=120)"),
        ("wsd", "wsd(peak=0.2, warmup=0, decay_start=80, total=120, floor=0.002, shape=linear)"),
    ]

    /// The schedule's rates as `lawfit schedule show` prints them (the rates the laws see).
    static func rates(_ spec: String) throws -> [Double] {
        let outcome = try LawfitProcess.run(["schedule", "show", spec, "--format", "csv"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return outcome.standardOutput.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
    }

    /// Writes one CSV per schedule (step,loss: simulated excess loss + label noise, every 12 updates)
    /// and returns the `--data FILE --schedule SPEC` arguments. 32 feature draws: the per-draw spread
    /// of the loss is about 20 % at N = 50, so the mean carries about 3.5 % seed noise, common to the
    /// three runs (same draws).
    static func writeCurves(into folder: URL) throws -> [String] {
        let simulator = try RandomFeatureSGDSimulator(a: a, b: b, modes: modes, features: features, batchSize: 1, noise: noise)
        var arguments: [String] = []
        for (name, spec) in schedules {
            let losses = try simulator.meanExpectedLosses(rates: try rates(spec), seeds: 0..<32)
            let rows = stride(from: 12, through: 120, by: 12).map { "\($0),\(losses[$0] + noise)" }
            let file = folder.appendingPathComponent("\(name).csv")
            try Data(("step,loss\n" + rows.joined(separator: "\n") + "\n").utf8).write(to: file)
            arguments += ["--data", file.path, "--schedule", spec]
        }
        return arguments
    }

    /// Ranked by held-out log-RMSE on the WSD run (fitted on constant and cosine). Measured (debug,
    /// 2026-12-02): fsl-theory 0.00277, dmft-sgd 0.00281, multi-power 0.0105, fsl 0.0399; dmft-sgd's fit
    /// a = 2.46, b = 1.70, E = 0.068, N = 43. The generating law is NOT ranked first here: at N = 50 the
    /// theory sits 2-8 % above the simulated mean of these curves (finite-N effects at B = 1, LR 0.2), so
    /// fsl-theory ties it. Asserted: both schedule theories beat the empirical laws by 3x, dmft-sgd is
    /// within 5 % of the best score, and its exponents and noise are within the stated distances.
    @Test("compare: dmft-sgd within 5 % of the best held-out score and 3x better than multi-power and fsl; a, b, E near the truth",
          .enabled(if: DMFTScheduleCompareTests.slowTestsEnabled, "about 2 min of CPU in debug: set LAWFIT_SLOW_TESTS=1"))
    func compareRanksTheGeneratingLawAmongTheBest() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeCurves(into: folder)
        let outcome = try LawfitProcess.run(
            ["compare"] + data + ["--split", "runs:wsd", "--starts", "1", "--bootstrap", "0", "--workers", "2", "--quiet",
                                  "--format", "json"] + ["dmft-sgd", "fsl", "fsl-theory", "multi-power"].flatMap { ["--law", $0] })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let laws = try #require(report["laws"] as? [[String: Any]])
        for law in laws { print("dmft-sgd compare: \(law["law"]!) rank \(law["rank"] ?? "-") score \(law["score"] ?? "-") \(((law["fit"] as? [String: Any])?["parameters"]) ?? "")") }
        func score(_ name: String) throws -> Double {
            try #require(laws.first { $0["law"] as? String == name }?["score"] as? Double, "no score for \(name)")
        }
        let best = try #require(laws.compactMap { $0["score"] as? Double }.min())
        let (dmft, multiPower, fsl) = (try score("dmft-sgd"), try score("multi-power"), try score("fsl"))
        #expect(dmft <= 1.05 * best, "dmft-sgd \(dmft), best \(best)")
        #expect(dmft <= multiPower / 3 && dmft <= fsl / 3, "dmft-sgd \(dmft), multi-power \(multiPower), fsl \(fsl)")
        let entry = try #require(laws.first { $0["law"] as? String == "dmft-sgd" })
        let p = try #require((entry["fit"] as? [String: Any])?["parameters"] as? [String: Double])
        #expect(abs(p["a"]! - Self.a) <= 0.3, "a = \(p["a"]!)")
        #expect(abs(p["b"]! - Self.b) <= 0.3, "b = \(p["b"]!)")
        #expect(abs(p["E"]! - Self.noise) <= 0.03, "E = \(p["E"]!)")
    }

    /// `lawfit fit` on all three runs: the exponents and noise are recovered. Measured (debug,
    /// 2026-12-02): a = 2.362, b = 1.579, E = 0.0681, N = 60.5, s = 1.18, lrScale = 1.013 (biased by the
    /// 2-8 % theory-simulation gap at N = 50, see above).
    @Test("fit --law dmft-sgd recovers a, b and E from simulated curves",
          .enabled(if: DMFTScheduleCompareTests.slowTestsEnabled, "about 1.5 min of CPU in debug: set LAWFIT_SLOW_TESTS=1"))
    func fitRecoversParameters() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeCurves(into: folder)
        let outcome = try LawfitProcess.run(["fit", "--law", "dmft-sgd"] + data + ["--starts", "1", "--workers", "2", "--quiet", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let p = try #require(json["parameters"] as? [String: Double])
        print("dmft-sgd fit: \(p)")
        #expect(abs(p["a"]! - Self.a) <= 0.3, "a = \(p["a"]!)")
        #expect(abs(p["b"]! - Self.b) <= 0.3, "b = \(p["b"]!)")
        #expect(abs(p["E"]! - Self.noise) <= 0.03, "E = \(p["E"]!)")
    }
}
