import Foundation
import Testing
import TestSupport

/// `lawfit compare` on loss curves, end to end on the bundled simulator curves (Fixtures/demo/curves:
/// four schedules of 3000 steps, 120 points each; always on). The law is `lr-annealing` (fast to fit
/// in debug). Every number checked is recomputed here without the project's code: the schedules from
/// their closed forms (Docs/Schedules.md, checked against the lr column the simulator wrote), the law
/// from Tissue et al. 2024 (arXiv 2408.11029, Sec. 3, momentum form), the held-out sets from
/// Docs/Evaluation.md's rules, the Huber objective and the metrics from their definitions.
@Suite("lawfit compare on loss curves, end to end")
struct CompareLossCurvesEndToEndTests {
    typealias Point = DemoCurves.Point

    static func logRMSE(_ pairs: [(predicted: Double, observed: Double)]) -> Double {
        (pairs.map { pow(log($0.predicted) - log($0.observed), 2) }.reduce(0, +) / Double(pairs.count)).squareRoot()
    }

    /// Runs `lawfit compare --law lr-annealing` on `runs` (fixture curves by name, or files), each with
    /// its schedule, and `--format json` on standard output; returns the report.
    static func compare(_ runs: [(name: String, file: URL)], _ options: [String]) throws -> [String: Any] {
        var arguments = ["compare", "--law", "lr-annealing", "--format", "json", "--quiet", "--workers", "2"]
        for run in runs { arguments += ["--data", run.file.path, "--schedule", DemoCurves.specs[DemoCurves.schedule(of: run.name)]!] }
        let outcome = try LawfitProcess.run(arguments + options)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    static var fixtureRuns: [(name: String, file: URL)] { DemoCurves.names.map { ($0, DemoCurves.file($0)) } }

    static func law(_ report: [String: Any]) throws -> [String: Any] {
        let laws = try #require(report["laws"] as? [[String: Any]])
        let law = try #require(laws.first { $0["law"] as? String == "lr-annealing" })
        #expect(law["status"] as? String == "ranked", "\(law["reason"] ?? "")")
        return law
    }

    static func parameters(_ law: [String: Any]) throws -> [String: Double] {
        try #require((law["fit"] as? [String: Any])?["parameters"] as? [String: Double])
    }

    /// The report's points with their flags and predictions, matched to the fixture's points.
    struct ReportedPoint {
        var point: Point
        var heldOut: Bool
        var predicted: Double
        var heldOutPrediction: Double?
    }

    static func reportedPoints(_ report: [String: Any], law: [String: Any], curves: [String: [Point]]) throws -> [ReportedPoint] {
        let runNames = try #require((report["data"] as? [String: Any])?["runs"] as? [[String: Any]]).map { $0["name"] as! String }
        let points = try #require(law["points"] as? [[String: Any]])
        return try points.map { entry in
            let run = try #require((entry["run"] as? String) ?? (entry["run"] as? Int).map { runNames[$0] })
            let index = try #require(entry["index"] as? Int)
            let point = try #require(curves[run]?[index], "no point \(index) of \(run)")
            // Foundation's JSON parser on Linux may read the last digit one unit off: 1e-15 relative.
            let observed = try #require(entry["observed"] as? Double)
            #expect(DemoCurves.relativeError(observed, point.loss) <= 1e-15, "\(run) \(index): \(observed) vs \(point.loss)")
            #expect(entry["x"] as? Double == Double(point.step), "\(run) \(index)")
            return ReportedPoint(
                point: point, heldOut: try #require(entry["held_out"] as? Bool), predicted: try #require(entry["predicted"] as? Double),
                heldOutPrediction: entry["held_out_prediction"] as? Double)
        }
    }

    static func curves(_ names: [String]) throws -> [String: [Point]] {
        Dictionary(uniqueKeysWithValues: try names.map { ($0, try DemoCurves.curve($0)) })
    }

    @Test("the closed-form schedules written here match the lr column the simulator wrote into the fixtures")
    func scheduleClosedForms() throws {
        for name in DemoCurves.names {
            for point in try DemoCurves.curve(name) {
                #expect(DemoCurves.relativeError(DemoCurves.rate(name, point.step), point.lr) <= 1e-14, "\(name) at \(point.step)")
            }
        }
    }

    /// Checks that every reported prediction equals the law written out at the printed parameters, that
    /// the objective is the Huber(delta) sum over the fitted points, and that the held-out log-RMSE is that of
    /// the held-out points; returns the reported points.
    static func expectFitAndScore(
        _ report: [String: Any], curves: [String: [Point]], heldOut expected: Set<Point>, delta: Double = 1e-3
    ) throws -> [ReportedPoint] {
        let law = try Self.law(report)
        let p = try Self.parameters(law)
        let points = try Self.reportedPoints(report, law: law, curves: curves)
        #expect(points.count == curves.values.map(\.count).reduce(0, +))
        #expect(Set(points.filter(\.heldOut).map(\.point)) == expected)
        let independent = DemoCurves.predictions(p, points.map(\.point))
        let worst = DemoCurves.largest(points.map { DemoCurves.relativeError($0.predicted, independent[$0.point]!) })
        #expect(worst <= 1e-9, "largest relative difference from the law written out: \(worst)")
        let training = points.filter { !$0.heldOut }.map(\.point)
        let objective = try #require((law["fit"] as? [String: Any])?["objective"] as? Double)
        let huber = DemoCurves.huberObjective(p, training, delta: delta)
        #expect(DemoCurves.relativeError(objective, huber) <= 1e-8, "objective \(objective) vs \(huber)")
        #expect((law["fit"] as? [String: Any])?["points"] as? Int == training.count)
        let held: [(predicted: Double, observed: Double)] = points.filter(\.heldOut).map { (independent[$0.point]!, $0.point.loss) }
        let test = try #require(law["test"] as? [String: Any])
        #expect(test["count"] as? Int == expected.count)
        let reported = try #require(test["log_rmse"] as? Double)
        #expect(DemoCurves.relativeError(reported, Self.logRMSE(held)) <= 1e-8, "held-out log-RMSE \(reported) vs \(Self.logRMSE(held))")
        return points
    }

    @Test("--split last-steps:0.2 holds out each run's points past 25 + 0.8 (3000 - 25); predictions, objective and held-out log-RMSE recomputed")
    func lastSteps() throws {
        let curves = try Self.curves(DemoCurves.names)
        let report = try Self.compare(Self.fixtureRuns, ["--split", "last-steps:0.2"])
        #expect((report["split"] as? [String: Any])?["strategy"] as? String == "last-steps:0.2")
        // Every run logs steps 25 ... 3000: the cut is 25 + 0.8 x 2975 = 2405, so steps 2425 ... 3000 (24 per run).
        let expected = Set(curves.values.joined().filter { Double($0.step) > 25 + 0.8 * 2975 })
        #expect(expected.count == 4 * 24)
        _ = try Self.expectFitAndScore(report, curves: curves, heldOut: expected)
    }

    @Test("--split runs:twostage,wsd fits constant and cosine and scores every point of the other two; --objective huber:0.004 and --metric mean-relative-error recomputed")
    func namedRuns() throws {
        let curves = try Self.curves(DemoCurves.names)
        let report = try Self.compare(Self.fixtureRuns, ["--split", "runs:twostage,wsd", "--objective", "huber:0.004", "--metric", "mean-relative-error"])
        let expected = Set(curves["twostage"]! + curves["wsd"]!)
        #expect(report["objective"] as? String == "huber(delta=0.004) on log residuals")
        let points = try Self.expectFitAndScore(report, curves: curves, heldOut: expected, delta: 0.004)
        let held = points.filter(\.heldOut)
        let meanRelative = held.map { abs($0.predicted - $0.point.loss) / $0.point.loss }.reduce(0, +) / Double(held.count)
        let score = try #require(try Self.law(report)["score"] as? Double)
        #expect(DemoCurves.relativeError(score, meanRelative) <= 1e-9, "score \(score) vs \(meanRelative)")
    }

    @Test("--split leave-one-run-out: four one-run folds; pooled held-out log-RMSE from the out-of-fold predictions; the wsd fold equals lawfit fit on the other three runs")
    func leaveOneRunOut() throws {
        let curves = try Self.curves(DemoCurves.names)
        let report = try Self.compare(Self.fixtureRuns, ["--split", "leave-one-run-out"])
        let folds = try #require((report["split"] as? [String: Any])?["folds"] as? [[String: Any]])
        #expect(folds.count == 4)
        for (r, fold) in folds.enumerated() {
            let test = try #require(fold["test"] as? [[String: Int]])
            #expect(test.count == 120 && test.allSatisfy { $0["run"] == r }, "fold \(r)")
            #expect((fold["train"] as? [Any])?.count == 360)
        }
        // The reported fit is the fit to all 480 points; every point is held out once.
        let law = try Self.law(report)
        let p = try Self.parameters(law)
        let points = try Self.reportedPoints(report, law: law, curves: curves)
        let objective = try #require((law["fit"] as? [String: Any])?["objective"] as? Double)
        let huber = DemoCurves.huberObjective(p, points.map(\.point))
        #expect(DemoCurves.relativeError(objective, huber) <= 1e-8, "objective \(objective) vs \(huber)")
        var pairs: [(predicted: Double, observed: Double)] = []
        for point in points {
            let outOfFold = try #require(point.heldOutPrediction, "no out-of-fold prediction at \(point.point)")
            pairs.append((outOfFold, point.point.loss))
        }
        let test = try #require(law["test"] as? [String: Any])
        #expect(test["count"] as? Int == 480)
        let reported = try #require(test["log_rmse"] as? Double)
        #expect(DemoCurves.relativeError(reported, Self.logRMSE(pairs)) <= 1e-9, "\(reported) vs \(Self.logRMSE(pairs))")
        // The wsd fold: the same fit by `lawfit fit` on the other three runs predicts wsd as reported.
        var arguments = ["fit", "--law", "lr-annealing", "--format", "json", "--no-timing", "--quiet"]
        for name in ["constant", "cosine", "twostage"] {
            arguments += ["--data", DemoCurves.file(name).path, "--schedule", DemoCurves.specs[name]!]
        }
        let fit = try LawfitProcess.run(arguments)
        #expect(fit.status == 0, "\(fit.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(fit.standardOutput.utf8)) as? [String: Any])
        let foldParameters = try #require(json["parameters"] as? [String: Double])
        let wsd = points.filter { $0.point.run == "wsd" }
        let expected = DemoCurves.predictions(foldParameters, wsd.map(\.point))
        let worst = DemoCurves.largest(wsd.map { DemoCurves.relativeError($0.heldOutPrediction!, expected[$0.point]!) })
        #expect(worst <= 1e-6, "wsd's out-of-fold predictions vs the three-run fit: \(worst)")
    }

    /// The bootstrap section of the report, with its samples checked: each parameter's interval is the
    /// type-7 (numpy default) 2.5 / 97.5 % percentile of the printed samples.
    static func expectPercentileIntervals(_ law: [String: Any], resamples: Int) throws -> (bootstrap: [String: Any], samples: [[String: Double]]) {
        let bootstrap = try #require(law["bootstrap"] as? [String: Any])
        #expect(bootstrap["resamples"] as? Int == resamples && bootstrap["failed"] as? Int == 0)
        let order = try #require((law["fit"] as? [String: Any])?["parameter_order"] as? [String])
        let samples = try #require(bootstrap["samples"] as? [[Double]])
        #expect(samples.count == resamples)
        let intervals = try #require(bootstrap["parameters"] as? [[String: Any]])
        for (j, name) in order.enumerated() {
            let values = samples.map { $0[j] }.sorted()
            func percentile(_ q: Double) -> Double {
                let h = q * Double(values.count - 1), k = Int(h)
                return k + 1 < values.count ? values[k] + (h - Double(k)) * (values[k + 1] - values[k]) : values[k]
            }
            let bounds = try #require(intervals[j]["interval"] as? [String: Double])
            #expect(intervals[j]["name"] as? String == name)
            #expect(abs(bounds["lower"]! - percentile(0.025)) <= 1e-12 * abs(percentile(0.025)), "\(name) lower")
            #expect(abs(bounds["upper"]! - percentile(0.975)) <= 1e-12 * abs(percentile(0.975)), "\(name) upper")
        }
        return (bootstrap, samples.map { Dictionary(uniqueKeysWithValues: zip(order, $0)) })
    }

    /// A bootstrap of lr-annealing on two runs with the same schedule and the same losses (the cosine
    /// curve and a copy of it), so that any multiset of whole runs has the full objective times a
    /// constant: its optimum is the full fit's. Checks the percentile intervals; returns the bootstrap
    /// section, and the full data's objective at the full fit and at each resample's fit.
    static func bootstrapOfIdenticalRuns(unit: String, resamples: Int) throws -> (bootstrap: [String: Any], full: Double, refits: [Double]) {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("cosine-copy.csv")
        try FileManager.default.copyItem(at: DemoCurves.file("cosine"), to: copy)
        let report = try Self.compare(
            [("cosine", DemoCurves.file("cosine")), ("cosine-copy", copy)],
            ["--split", "none", "--bootstrap", "\(resamples)", "--bootstrap-unit", unit, "--seed", "5"])
        let law = try Self.law(report)
        let (bootstrap, samples) = try Self.expectPercentileIntervals(law, resamples: resamples)
        let data = try DemoCurves.curve("cosine") + DemoCurves.curve("cosine", run: "cosine-copy")
        let full = DemoCurves.huberObjective(try Self.parameters(law), data)
        return (bootstrap, full, samples.map { DemoCurves.huberObjective($0, data) })
    }

    @Test("--bootstrap 6 --bootstrap-unit runs on two identical runs: every resample of whole runs is the full objective times a constant, so every refit is as good as the full fit on the data")
    func bootstrapWholeRuns() throws {
        let (bootstrap, full, refits) = try Self.bootstrapOfIdenticalRuns(unit: "runs", resamples: 6)
        #expect(bootstrap["unit"] as? String == "runs")
        #expect((bootstrap["resampling"] as? String)?.contains("whole runs were resampled with replacement (2 fitted runs)") == true)
        for objective in refits {
            #expect(DemoCurves.relativeError(objective, full) <= 1e-6, "a whole-run resample's fit \(objective) vs the full fit \(full)")
        }
    }

    @Test("--bootstrap-unit blocks on the same two runs: blocks of round(120^(1/3)) = 5 points within each run (blocks:8 of 8); the refits differ and none beats the full fit on the data")
    func bootstrapMovingBlocks() throws {
        let (bootstrap, full, refits) = try Self.bootstrapOfIdenticalRuns(unit: "blocks", resamples: 6)
        #expect(bootstrap["unit"] as? String == "blocks")
        let sentence = try #require(bootstrap["resampling"] as? String)
        #expect(sentence.contains("each of the 2 fitted runs was resampled in moving blocks of 5 consecutive points"), "\(sentence)")
        for objective in refits {
            #expect(objective >= full * (1 - 1e-9), "a resample's fit \(objective) beats the full fit \(full) on the full data")
        }
        // Points left out and doubled move the optimum: the refits are not all the full fit.
        #expect(refits.contains { $0 > full * (1 + 1e-6) }, "\(refits) vs \(full)")
        // blocks:LENGTH sets the length.
        let (fixed, _, _) = try Self.bootstrapOfIdenticalRuns(unit: "blocks:8", resamples: 4)
        #expect((fixed["resampling"] as? String)?.contains("moving blocks of 8 consecutive points") == true, "\(fixed["resampling"] ?? "")")
    }
}
