import Foundation
import Testing
@testable import LawfitCore

private func linearRuns() -> [Run] {
    let x = [1.0, 2, 3, 4, 5], y = [2.1, 3.9, 6.2, 7.8, 10.1]
    return [Run(name: "line", observations: zip(x, y).map { Observation(loss: $1, parameters: $0) })]
}

@Suite("Evaluation: bootstrap and Laplace intervals")
struct EvaluationUncertaintyTests {
    @Test("Laplace intervals of a linear law equal ordinary least squares", arguments: [ResidualLoss.squared, .huber(delta: 1)])
    func laplaceIsOLS(loss: ResidualLoss) async throws {
        let law = TestLinearLaw()
        let runs = linearRuns()
        let options = FitOptions(objective: ObjectiveSpec(loss: loss, space: .linear))
        let fit = try await LawFitter(law: law, options: options).fit(runs)
        // numpy: beta = (0.05, 1.99), se = (0.19807406, 0.05972158).
        #expect(abs(fit.values[0] - 0.05) < 1e-6 && abs(fit.values[1] - 1.99) < 1e-6)
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), spec: options.objective)
        let laplace = try LaplaceIntervals(objective: objective, values: fit.values)
        let se = laplace.parameters.map(\.interval.standardError)
        #expect(abs(se[0] - 0.19807406) < 1e-6, "\(se)")
        #expect(abs(se[1] - 0.05972158) < 1e-6, "\(se)")
        #expect(abs(laplace.parameters[1].interval.upper - (fit.values[1] + 1.959963984540054 * se[1])) < 1e-9)
        // Prediction at N = 7: se = 0.2533771891863989 (numpy).
        let at7 = laplace.predictionIntervals(
            try law.makeEvaluator(for: [Run(name: "x", observations: [Observation(parameters: 7)])]),
            values: fit.values, space: law.parameterSpace)
        #expect(abs(at7[0].estimate - 13.98) < 1e-5)
        #expect(abs(at7[0].standardError - 0.2533771891863989) < 1e-6)
    }

    @Test("Laplace on log-transformed parameters gives positive asymmetric intervals")
    func laplaceLogTransform() async throws {
        let law = TestChinchillaLaw()
        let runs = syntheticNDRuns()
        let fit = try await LawFitter(law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared))).fit(runs)
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), spec: ObjectiveSpec(loss: .squared))
        let laplace = try LaplaceIntervals(objective: objective, values: fit.values)
        let a = laplace.parameters[1].interval
        #expect(a.lower > 0 && a.lower < a.estimate && a.estimate < a.upper)
        #expect(abs(Foundation.log(a.upper / a.estimate) - Foundation.log(a.estimate / a.lower)) < 1e-9)
        // The true exponent lies within its interval.
        #expect(laplace.parameters[2].interval.contains(chinchillaTruth[2]), "\(laplace.parameters[2])")
    }

    @Test("Resample draws: n points with replacement, or whole runs")
    func draws() {
        let points = Bootstrap.draw(unit: .points, runSizes: [3, 4], seed: 5)
        #expect(points.count == 7 && points.reduce(0, +) == 7)
        let runs = Bootstrap.draw(unit: .runs, runSizes: [3, 4], seed: 5)
        #expect(Set(runs[0..<3]).count == 1 && Set(runs[3..<7]).count == 1)
        #expect(runs[0] + runs[3] == 2)
        #expect(Bootstrap.draw(unit: .points, runSizes: [3, 4], seed: 5) == points)
    }

    @Test("Bootstrap: same seed gives identical intervals whatever the worker count")
    func determinism() async throws {
        let law = TestChinchillaLaw()
        let runs = syntheticNDRuns()
        let fitOptions = FitOptions(objective: ObjectiveSpec(loss: .squared), starts: .count(8))
        let fit = try await LawFitter(law: law, options: fitOptions).fit(runs)
        let probe = [Run(name: "p", observations: [Observation(parameters: 1e11, tokens: 2e12)])]
        var results: [BootstrapResult] = []
        for workers in [1, 3] {
            let options = BootstrapOptions(resamples: 24, seed: 9, workers: workers, extraStarts: 1)
            results.append(try await Bootstrap.run(law: law, runs: runs, full: fit, fitOptions: fitOptions, options: options, predictAt: probe))
        }
        #expect(results[0] == results[1])
        #expect(results[0].failed == 0)
        #expect(results[0].predictions.count == 1)
        let other = try await Bootstrap.run(
            law: law, runs: runs, full: fit, fitOptions: fitOptions,
            options: BootstrapOptions(resamples: 24, seed: 10, workers: 2, extraStarts: 1))
        #expect(other.parameters != results[0].parameters)
        let alpha = results[0].parameters[2].interval
        #expect(alpha.lower < alpha.estimate && alpha.estimate < alpha.upper)
        #expect(alpha.contains(chinchillaTruth[2]), "\(alpha)")
        // The percentile interval is the type-7 quantile of the stored samples.
        #expect(alpha.lower == Quantile.of(results[0].samples.map { $0[2] }, 0.025))
    }
}
