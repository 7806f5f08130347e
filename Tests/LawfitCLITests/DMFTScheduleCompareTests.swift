import Foundation
import LawfitSimulation
import Testing
import TestSupport

/// `dmft-sgd` end to end: loss curves simulated by ``RandomFeatureSGDSimulator`` (one-pass SGD on
/// random-feature regression, the exact expectation over data, averaged over feature draws) from known
/// parameters, fitted from the command line. The truth: a = 2.2, b = 1.5, N = 50 features, M = 400 data
/// modes, batch 1, label noise 0.05 (so s = 1, E = 0.05, lrScale = 1 in the law's units). The law is
/// `dmft-sgd(modes=400)`, the simulator's spectrum (which also makes each evaluation ~6x cheaper than
/// the infinite spectrum: ~140 mode-sum nodes instead of ~900), fitted from its default start with
/// Levenberg-Marquardt (its linear parameters s, E solved at the start). Short curves (120 updates, a
/// point every 12) and one start.
@Suite("dmft-sgd from the command line, on simulated SGD curves")
struct DMFTScheduleCompareTests {
    static let (a, b, features, modes, noise) = (2.2, 1.5, 50, 400, 0.05)
    static let law = "dmft-sgd(modes=\(modes))"
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
    /// 2026-12-03): dmft-sgd 0.00194 (rank 1), fsl-theory 0.00277, multi-power 0.0105, fsl 0.0399;
    /// dmft-sgd's fit a = 2.42, b = 1.62, E = 0.066, N = 43. The theory sits 2-8 % above the simulated
    /// mean of these curves at N = 50 (finite-N effects at B = 1, LR 0.2), so the margin over
    /// fsl-theory is not asserted. Asserted: both schedule theories beat the empirical laws by 3x,
    /// dmft-sgd is within 5 % of the best score, and its exponents and noise are within the stated distances.
    @Test("compare: dmft-sgd within 5 % of the best held-out score and 3x better than multi-power and fsl; a, b, E near the truth")
    func compareRanksTheGeneratingLawAmongTheBest() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeCurves(into: folder)
        let outcome = try LawfitProcess.run(
            ["compare"] + data + ["--split", "runs:wsd", "--starts", "1", "--bootstrap", "0", "--workers", "2", "--quiet",
                                  "--format", "json"] + [Self.law, "fsl", "fsl-theory", "multi-power"].flatMap { ["--law", $0] })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let laws = try #require(report["laws"] as? [[String: Any]])
        for law in laws { print("dmft-sgd compare: \(law["law"]!) rank \(law["rank"] ?? "-") score \(law["score"] ?? "-") \(((law["fit"] as? [String: Any])?["parameters"]) ?? "")") }
        func score(_ name: String) throws -> Double {
            try #require(laws.first { $0["law"] as? String == name }?["score"] as? Double, "no score for \(name)")
        }
        let best = try #require(laws.compactMap { $0["score"] as? Double }.min())
        let (dmft, multiPower, fsl) = (try score(Self.law), try score("multi-power"), try score("fsl"))
        #expect(dmft <= 1.05 * best, "dmft-sgd \(dmft), best \(best)")
        #expect(dmft <= multiPower / 3 && dmft <= fsl / 3, "dmft-sgd \(dmft), multi-power \(multiPower), fsl \(fsl)")
        let entry = try #require(laws.first { $0["law"] as? String == Self.law })
        let p = try #require((entry["fit"] as? [String: Any])?["parameters"] as? [String: Double])
        #expect(abs(p["a"]! - Self.a) <= 0.3, "a = \(p["a"]!)")
        #expect(abs(p["b"]! - Self.b) <= 0.3, "b = \(p["b"]!)")
        #expect(abs(p["E"]! - Self.noise) <= 0.03, "E = \(p["E"]!)")
    }

    /// `lawfit fit` on all three runs, then `lawfit predict` from the fit at the simulated steps: the
    /// law reproduces the simulated curves, and the exponents and the noise land near the truth.
    /// Measured (debug, 2026-12-03, `dmft-sgd(modes=400)`, 1 start): a = 2.355, b = 1.537, E = 0.0647,
    /// N = 51.9, s = 1.156, lrScale = 0.990, max |predicted/simulated - 1| = 0.32 %. Before the
    /// finite-N contour followed the rate (issue 17) the same fit ended at a = 2.63, b = 1.84, E = 0,
    /// N = 11.6 (max error 0.44 %), so the exponents were held only to 0.5 and 0.4 and E not at all;
    /// now they are held as in the compare above: a and b within 0.3, E within 0.03.
    @Test("fit --law dmft-sgd reproduces simulated curves; a, b, E near the truth")
    func fitReproducesCurves() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeCurves(into: folder)
        let fit = folder.appendingPathComponent("fit.json").path
        let outcome = try LawfitProcess.run(["fit", "--law", Self.law] + data + ["--starts", "1", "--workers", "2", "--quiet", "--format", "json", "--output", fit])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fit))) as? [String: Any])
        let p = try #require(json["parameters"] as? [String: Double])
        print("dmft-sgd fit: \(p)")
        var worst = 0.0
        for k in stride(from: 0, to: data.count, by: 4) {
            let predicted = try LawfitProcess.run(["predict", "--law", Self.law, "--params-file", fit, "--data", data[k + 1], "--schedule", data[k + 3]])
            #expect(predicted.status == 0, "\(predicted.standardError)")
            let simulated = try String(contentsOfFile: data[k + 1], encoding: .utf8).split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
            let values = predicted.standardOutput.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",").last!) }
            #expect(values.count == simulated.count)
            for (value, truth) in zip(values, simulated) {
                let error = abs(value / truth - 1)
                worst = error > worst || error.isNaN ? error : worst
            }
        }
        print("dmft-sgd fit: max |predicted/simulated - 1| = \(worst)")
        #expect(worst <= 0.02, "worst relative error \(worst)")
        #expect(abs(p["a"]! - Self.a) <= 0.3, "a = \(p["a"]!)")
        #expect(abs(p["b"]! - Self.b) <= 0.3, "b = \(p["b"]!)")
        #expect(abs(p["E"]! - Self.noise) <= 0.03, "E = \(p["E"]!)")
    }
}
