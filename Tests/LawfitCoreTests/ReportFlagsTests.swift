import Foundation
import Testing
@testable import LawfitCore

/// Points on a line L = a + b N with a slope just above the test law's box (b <= 100).
private func steepLine() -> [Run] {
    var generator = SplitMix64(seed: 21)
    let observations = (1...30).map { k -> Observation in
        let n = Double(k)
        let noise = (Double(generator.next() >> 11) / Double(1 << 53) - 0.5) * 0.2
        return Observation(loss: 10 + 101 * n + noise, parameters: n)
    }
    return [Run(name: "line", observations: observations)]
}

/// Each situation a report must put into words, constructed, with the sentence checked.
@Suite("Reports: every flag is a sentence")
struct ReportFlagsTests {
    @Test("A parameter at a bound, and its Laplace interval clipped to the box, are sentences with the numbers")
    func boundAndClippedLaplace() async throws {
        let selection = ModelSelection(
            laws: [TestLinearLaw()], split: SplitStrategy.none,
            fitOptions: FitOptions(objective: ObjectiveSpec(loss: .squared, space: .linear), starts: .count(2), seed: 1, workers: 1))
        let law = try #require(try await selection.run(steepLine()).laws.first)
        #expect(law.fit?.parameters["b"] == 100, "\(law.flags) \(String(describing: law.fit))")
        #expect(law.flags.contains { $0.hasPrefix("Parameter b is at its upper bound 100: the data pull it above its box, so its value only says 'at least' 100") }, "\(law.flags)")
        let clipped = try #require(law.flags.first { $0.hasPrefix("The Laplace interval of b, [") })
        #expect(clipped.contains("reaches outside its box [-100, 100] and is clipped to ["))
        let b = try #require(law.laplace?.first { $0.name == "b" }?.interval)
        #expect(b.upper == 100)
        #expect(b.lower < 100)
    }

    @Test("A bootstrap interval that excludes the estimate is named with both numbers")
    func bootstrapExcludesEstimate() {
        let result = BootstrapResult(
            resamples: 10, failed: 0, unit: .points, seed: 0, confidence: 0.95, refit: "r", resampling: "s",
            parameters: [
                ParameterInterval(name: "alpha", interval: Interval(estimate: 0.5, lower: 0.61, upper: 0.8, standardError: 0.05)),
                ParameterInterval(name: "beta", interval: Interval(estimate: 0.3, lower: 0.2, upper: 0.4, standardError: 0.05)),
            ],
            predictions: [])
        let flags = SelectionFlags.bootstrapFlags(result, runs: 1, resolution: Self.resolution)
        #expect(flags == [
            "The 95 % bootstrap interval of alpha, [0.61, 0.8], excludes its fitted value 0.5: the resampled fits settle elsewhere (another basin, or a skewed sampling distribution), so neither the value nor the interval can be taken at face value.",
        ])
    }

    /// The parameter resolution of a fit stopped at the default relative objective change 1e-12.
    static let resolution = SelectionFlags.parameterResolution(ftolRel: 1e-12)

    /// A bootstrap result with one parameter's interval.
    static func bootstrap(_ estimate: Double, _ lower: Double, _ upper: Double) -> BootstrapResult {
        BootstrapResult(
            resamples: 10, failed: 0, unit: .runs, seed: 0, confidence: 0.95, refit: "r", resampling: "s",
            parameters: [ParameterInterval(name: "C", interval: Interval(estimate: estimate, lower: lower, upper: upper, standardError: 0))],
            predictions: [])
    }

    @Test("Refits that differ from the fit by less than the fitter resolves (10 sqrt(ftolRel) relative) do not flag the interval; beyond it they do")
    func bootstrapResolutionIsNotExclusion() {
        // sqrt(1e-12) = 1e-6 (Gill, Murray and Wright's rule), times 10.
        #expect(abs(Self.resolution - 1e-5) <= 1e-20)
        #expect(SelectionFlags.parameterResolution(ftolRel: nil) == 4 * Double.ulpOfOne)
        // Measured: two identical cosine runs, multi-power, seed 4: every refit lands 8.4e-7 relative
        // above the full fit's C, in an interval 2e-7 wide; also one ulp off, and 8e-6 below.
        let c = 6.497e-4
        for (lower, upper) in [(c * (1 + 8.4e-7), c * (1 + 1.04e-6)), (c.nextUp, c.nextUp), (c * (1 - 9e-6), c * (1 - 8e-6))] {
            #expect(SelectionFlags.bootstrapFlags(Self.bootstrap(c, lower, upper), runs: 5, resolution: Self.resolution).isEmpty,
                    "[\(lower), \(upper)] around \(c)")
        }
        // Outside by 1.1e-5 relative, by a whole interval, or NaN: flagged.
        for (estimate, lower, upper) in [(c, c * (1 + 1.1e-5), c * (1 + 2e-5)), (c, c * 1.2, c * 1.5), (c * 0.9, c * 0.5, c * (0.9 - 1.1e-5)), (.nan, c, c)] {
            #expect(SelectionFlags.bootstrapFlags(Self.bootstrap(estimate, lower, upper), runs: 5, resolution: Self.resolution).count == 1,
                    "[\(lower), \(upper)] around \(estimate)")
        }
    }

    @Test("A run bootstrap over fewer than five runs says so")
    func fewRuns() {
        let result = BootstrapResult(
            resamples: 10, failed: 0, unit: .runs, seed: 0, confidence: 0.95, refit: "r", resampling: "s", parameters: [], predictions: [])
        #expect(SelectionFlags.bootstrapFlags(result, runs: 3, resolution: Self.resolution) == [
            "The bootstrap resampled whole runs but there are only 3 fitted runs (fewer than 5): few distinct resamples exist, so the intervals are coarse; consider --bootstrap-unit blocks.",
        ])
        #expect(SelectionFlags.bootstrapFlags(result, runs: 5, resolution: Self.resolution).isEmpty)
    }

    @Test("Two laws that predict the same losses are flagged as collapsed, in the report and on both laws")
    func collapse() async throws {
        var first = TestChinchillaLaw()
        first.name = "copy-a"
        var second = TestChinchillaLaw()
        second.name = "copy-b"
        let selection = ModelSelection(laws: [first, second, TestSizeOnlyLaw()], fitOptions: FitOptions(starts: .count(6), seed: 2, workers: 1))
        let report = try await selection.run(syntheticNDRuns())
        let sentence = try #require(report.warnings.first { $0.hasPrefix("copy-a and copy-b predict the same losses at every point (largest difference ") })
        #expect(sentence.hasSuffix("the fits have collapsed onto one curve, so the ranking between them says nothing about which law is right."))
        for name in ["copy-a", "copy-b"] {
            #expect(report.laws.first { $0.law == name }?.flags.contains(sentence) == true)
        }
        #expect(!report.warnings.contains { $0.contains("test-size-only and") || $0.contains("and test-size-only") })
    }

    @Test("The collapse sentence names the parameters at their bounds (fsl c2 = 0, multi-power gamma = 0)")
    func collapseNamesBounds() throws {
        func evaluation(_ name: String, contacts: [BoundContact]) -> LawEvaluation {
            var e = LawEvaluation(law: TestStepLaw(), status: .ranked)
            e.law = name
            e.points = [PointPrediction(run: 0, index: 0, x: 10, observed: 3, predicted: 3.0001, heldOut: false)]
            e.boundContacts = contacts
            return e
        }
        let found = SelectionFlags.collapses([
            evaluation("fsl", contacts: [BoundContact(parameter: "c2", side: .lower, bound: 0)]),
            evaluation("multi-power", contacts: [BoundContact(parameter: "gamma", side: .lower, bound: 0), BoundContact(parameter: "alpha", side: .upper, bound: 5)]),
        ])
        #expect(found.map(\.sentence) == [
            "fsl and multi-power predict the same losses at every point (largest difference 0.0e+00 of the loss) (fsl has c2 = 0 (lower bound); multi-power has gamma = 0 (lower bound), alpha = 5 (upper bound)): the fits have collapsed onto one curve, so the ranking between them says nothing about which law is right.",
        ])
    }

    @Test("Information criteria that pick another winner than the held-out ranking are a sentence")
    func criteriaDisagree() throws {
        func evaluation(_ name: String, residual: Double) throws -> LawEvaluation {
            var e = LawEvaluation(law: TestStepLaw(), status: .ranked)
            e.law = name
            e.criteria = try InSampleCriteria(residuals: (0..<20).map { $0 % 2 == 0 ? residual : -residual }, lawParameters: 3, loss: .squared)
            return e
        }
        // Ranked first on held-out error, but with larger training residuals: higher AIC and BIC.
        let ranked = [try evaluation("held-out-winner", residual: 0.1), try evaluation("in-sample-winner", residual: 0.01)]
        #expect(SelectionFlags.criteriaDisagreement(ranked, metric: "log-rmse")
            == "The in-sample criteria disagree with the held-out ranking: AIC ranks in-sample-winner first and BIC ranks in-sample-winner first, but held-out log-rmse ranks held-out-winner first. A law that fits the training points better but predicts the held-out ones worse is over-fitting; trust the held-out ranking for extrapolation.")
        #expect(SelectionFlags.criteriaDisagreement(ranked.reversed(), metric: "log-rmse") == nil)
    }

    @Test("Loss curves are bootstrapped by whole runs by default, and the report says so")
    func runBootstrapByDefault() async throws {
        let runs = curveRuns()
        #expect(BootstrapUnit.defaultUnit(for: runs) == .runs)
        #expect(BootstrapUnit.defaultUnit(for: syntheticNDRuns()) == .points)
        let selection = ModelSelection(
            laws: [TestStepLaw()], split: try SplitStrategy(parsing: "runs:r3"), fitOptions: FitOptions(starts: .count(2), seed: 1, workers: 1),
            bootstrap: BootstrapOptions(resamples: 6, seed: 1, workers: 1, extraStarts: 0))
        let law = try #require(try await selection.run(runs).ranked.first)
        #expect(law.bootstrap?.unit == .runs)
        #expect(law.bootstrap?.resampling == "whole runs were resampled with replacement (3 fitted runs), because the points of one run are strongly correlated")
        #expect(law.flags.contains { $0.hasPrefix("The bootstrap resampled whole runs but there are only 3 fitted runs (fewer than 5)") })
    }

    @Test("For loss curves the significance test resamples held-out runs, not points")
    func significanceByRuns() throws {
        func evaluation(_ name: String, error: Double) -> LawEvaluation {
            var e = LawEvaluation(law: TestStepLaw(), status: .ranked)
            e.law = name
            e.points = (0..<6).flatMap { run in
                (0..<5).map { k in
                    PointPrediction(run: run, index: k, x: Double(10 * (k + 1)), observed: 3, predicted: 3, heldOut: true,
                                    heldOutPrediction: 3 * (1 + error * Double(run + 1)))
                }
            }
            return e
        }
        let selection = ModelSelection(laws: [TestStepLaw()], significanceResamples: 200)
        let curves = try selection.significanceTest(evaluation("good", error: 0.001), evaluation("bad", error: 0.01), useHeldOut: true, curves: true)
        #expect(curves.statement.contains("(resampling the 6 held-out runs)"))
        #expect(curves.significant)
        let points = try selection.significanceTest(evaluation("good", error: 0.001), evaluation("bad", error: 0.01), useHeldOut: true)
        #expect(points.statement.contains("(resampling held-out points)"))
        // Paired run draws: each resample's difference is a mean over whole runs, so the interval
        // lies within the range of per-run log-RMSE differences.
        #expect(curves.upper! < 0)
    }

    @Test("A run-level test needs the runs a sign-flip test needs: 2^(1-n) <= 1 - confidence")
    func fewestRunsForARunLevelTest() {
        for confidence in [0.5, 0.8, 0.9, 0.95, 0.99, 0.999] {
            // Brute force: the smallest n whose all-agree chance 2 * 2^-n is at most 1 - confidence.
            let expected = (1...40).first { n in Foundation.pow(2, Double(1 - n)) <= 1 - confidence }!
            #expect(ModelSelection.minimumRunsForRunLevelTest(confidence: confidence) == expected)
        }
        #expect(ModelSelection.minimumRunsForRunLevelTest(confidence: 0.95) == 6)
    }

    @Test("With 2 to 5 held-out runs the significance test resamples blocks within each run, not the runs")
    func significanceWithFewRuns() throws {
        // Every held-out run holds the same 40 points: "bad" is off by 0.01 (log) at each, "good" by
        // 0.012 and 0.007 in turn, so good's mean square is 3.5 % lower in every run, but point to
        // point the lead flips sign. Whole-run draws see only the per-run differences, all equal, and
        // call any such gap significant; with 3 runs agreeing by chance 1 time in 4 that is no test.
        func evaluation(_ name: String, runs: Int) -> LawEvaluation {
            var e = LawEvaluation(law: TestStepLaw(), status: .ranked)
            e.law = name
            e.points = (0..<runs).flatMap { run in
                (0..<40).map { k in
                    let error = name == "good" ? (k % 2 == 0 ? 0.012 : 0.007) : 0.01
                    return PointPrediction(run: run, index: k, x: Double(10 * (k + 1)), observed: 3, predicted: 3, heldOut: true,
                                           heldOutPrediction: 3 * Foundation.exp(error))
                }
            }
            return e
        }
        let selection = ModelSelection(laws: [TestStepLaw()], significanceResamples: 400)
        let few = try selection.significanceTest(evaluation("good", runs: 3), evaluation("bad", runs: 3), useHeldOut: true, curves: true)
        #expect(few.statement.contains(
            "(resampling blocks within each of the 3 held-out runs; resampling whole runs needs at least 6 for a 95 % test)"))
        // Blocks of 3 points (round(40^(1/3))) alternate +0.37e-4 and -0.58e-4 in summed squares:
        // their mean, -0.105e-4, is 1.4 standard errors from 0 over 40 blocks, so not resolved.
        #expect(few.lower! < 0 && few.upper! > 0)
        #expect(!few.significant)
        // Six runs: all six agreeing happens by chance 1 time in 32, and whole runs are drawn.
        let enough = try selection.significanceTest(evaluation("good", runs: 6), evaluation("bad", runs: 6), useHeldOut: true, curves: true)
        #expect(enough.statement.contains("(resampling the 6 held-out runs)"))
        #expect(enough.significant)
        // The observed difference is the same for both: sqrt(mean squares) of good minus bad.
        let expected = Foundation.sqrt((0.012 * 0.012 + 0.007 * 0.007) / 2) - 0.01
        #expect(abs(few.difference - expected) < 1e-12 && abs(enough.difference - expected) < 1e-12)
    }

    @Test("A block bootstrap keeps every run's size and draws contiguous blocks of the given length")
    func blocks() {
        for seed in UInt64(0)..<20 {
            let weights = Bootstrap.draw(unit: .blocks, runSizes: [10, 7], seed: seed, blockLength: 3)
            #expect(weights.count == 17)
            #expect(weights[0..<10].reduce(0, +) == 10)
            #expect(weights[10..<17].reduce(0, +) == 7)
        }
        // Length 1 blocks of a 1-point run: the point itself.
        #expect(Bootstrap.draw(unit: .blocks, runSizes: [1], seed: 3, blockLength: 5) == [1])
        // Default length round(n^(1/3)): 5 for 125 points.
        #expect(Bootstrap.blockLength(nil, points: 125) == 5)
        #expect(Bootstrap.resampling(.blocks, blockLength: nil, runSizes: [125, 125])
            == "each of the 2 fitted runs was resampled in moving blocks of 5 consecutive points, keeping its short-range correlation")
    }
}

/// Four runs of L = 2 + 5 step^-0.5 (scaled per run) logged every 10 steps to 1000, each with a
/// schedule warming up for 100 steps.
func curveRuns() -> [Run] {
    let schedule = DenseSchedule(try! CosineSchedule(peak: 0.1, floor: 0.01, warmup: 100, total: 1000))
    return (0..<4).map { r in
        let scale = 1 + 0.02 * Double(r)
        let observations = stride(from: 10, through: 1000, by: 10).map { step in
            Observation(loss: scale * (2 + 5 * Foundation.pow(Double(step), -0.5)), step: step)
        }
        return Run(name: "r\(r)", observations: observations, schedule: schedule)
    }
}
