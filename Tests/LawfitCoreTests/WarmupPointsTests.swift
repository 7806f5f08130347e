import Foundation
import Testing
@testable import LawfitCore

@Suite("Fitted points in a warmup: found from the schedule, and named when the fit fails there")
struct WarmupPointsTests {
    /// A run logged every 50 steps to 5000 under a constant rate after a `warmup`-step linear warmup,
    /// with loss 2 + 5 step^-0.5; points before `inflateBefore` are raised by 60 % (as a law of S1
    /// overshoots during warmup).
    static func run(_ name: String, warmup: Int, inflateBefore: Int) throws -> Run {
        let schedule = DenseSchedule(try ConstantSchedule(peak: 1e-3, warmup: warmup, total: 5000))
        let observations = stride(from: 50, through: 5000, by: 50).map { step in
            Observation(loss: (2 + 5 * Foundation.pow(Double(step), -0.5)) * (step < inflateBefore ? 1.6 : 1), step: step)
        }
        return Run(name: name, observations: observations, schedule: schedule)
    }

    @Test("warmup points are those before the first step at the peak rate, indexed across runs")
    func indices() throws {
        let runs = [try Self.run("a", warmup: 300, inflateBefore: 0), try Self.run("b", warmup: 0, inflateBefore: 0), try Self.run("c", warmup: 120, inflateBefore: 0)]
        let warmup = try #require(WarmupPoints(runs: runs))
        // a: steps 50 ... 250 (the rate first equals the peak at step 300); b: none; c: steps 50, 100.
        #expect(warmup.indices == Set([0, 1, 2, 3, 4, 200, 201]))
        #expect(warmup.warmupEnds.map(\.run) == ["a", "c"])
        #expect(warmup.warmupEnds.map(\.peakStep) == [300, 120])
        #expect(WarmupPoints(runs: [try Self.run("b", warmup: 0, inflateBefore: 0)]) == nil)
    }

    @Test("a fit that fails on its warmup points says so, with both errors and the --fit-where that drops them")
    func warning() async throws {
        let law = TestStepLaw()
        let failing = [try Self.run("a", warmup: 300, inflateBefore: 300)]
        let fit = try await LawFitter(law: law, options: FitOptions(seed: 1, workers: 1)).fit(failing)
        let statistics = try FitStatistics(law: law, fit: fit, runs: failing)
        let sentence = try #require(statistics.warnings.first { $0.contains("warmup") })
        #expect(sentence.hasPrefix("5 of the 100 fitted points lie in a warmup (before the peak learning rate: step < 300 in a)"))
        // The two errors, recomputed from the fit's predictions: points 0-4 (steps 50-250) are the warmup.
        let predicted = try law.makeEvaluator(for: failing).predict(fit.values)
        let errors = zip(predicted, failing[0].observations).map { abs($0 - $1.loss!) / $1.loss! }
        let warmupError = errors[..<5].max()!, otherError = errors[5...].max()!
        #expect(warmupError > 2 * otherError && warmupError > 0.1)
        #expect(sentence.contains("their largest relative error is \(String(format: "%.3g", warmupError * 100)) % against \(String(format: "%.3g", otherError * 100)) % for the other points"))
        #expect(sentence.hasSuffix("add --fit-where 'step>=300'"))
        // Warmup points on the curve: no sentence.
        let clean = [try Self.run("a", warmup: 300, inflateBefore: 0)]
        let cleanFit = try await LawFitter(law: law, options: FitOptions(seed: 1, workers: 1)).fit(clean)
        #expect(try FitStatistics(law: law, fit: cleanFit, runs: clean).warnings.allSatisfy { !$0.contains("warmup") })
    }

    @Test("compare flags a law that fails on the fitted runs' warmup points")
    func compareFlag() async throws {
        let runs = [try Self.run("a", warmup: 300, inflateBefore: 300), try Self.run("b", warmup: 300, inflateBefore: 300)]
        let selection = ModelSelection(laws: [TestStepLaw()], split: try SplitStrategy(parsing: "runs:b"), fitOptions: FitOptions(seed: 1, workers: 1))
        let evaluation = try #require(try await selection.run(runs).ranked.first)
        // Run b is held out: only a's 5 warmup points were fitted.
        let flag = try #require(evaluation.flags.first { $0.contains("in a warmup") })
        #expect(flag.hasPrefix("5 of the 100 fitted points lie in a warmup (before the peak learning rate: step < 300 in a, b)"))
        #expect(flag.hasSuffix("add --fit-where 'step>=300'."))
    }
}
