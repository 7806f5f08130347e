import Foundation
import Testing
@testable import LawfitCore

/// L(N) = a + (b1 + b2) N: only b1 + b2 is determined, so b1 - b2 is a genuinely flat direction.
private struct TestSumSlopeLaw: ScalingLaw {
    let name = "test-sum-slope"
    let summary = "a + (b1 + b2) N"
    let requiredInputs: Set<LawInput> = [.parameters]
    let parameterSpace = ParameterSpace([
        Parameter("a", "intercept", bounds: -100...100, starts: [0]),
        Parameter("b1", "slope, first part", bounds: -100...100, starts: [0.5]),
        Parameter("b2", "slope, second part", bounds: -100...100, starts: [0.2]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(x: runs.flatMap(\.observations).map { $0.parameters! })
    }

    struct Evaluator: LawEvaluator {
        let x: [Double]
        var count: Int { x.count }
        var parameterCount: Int { 3 }
        var hasAnalyticGradient: Bool { true }
        func predict(_ t: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            predictions = x.map { t[0] + (t[1] + t[2]) * $0 }
            if jacobian != nil { jacobian = x.flatMap { [1, $0, $0] } }
        }
    }
}

/// The flat-direction check and Laplace intervals on the Gauss-Newton curvature scaled by its
/// diagonal: a genuinely flat direction is reported and refused, a well-determined fit whose
/// parameters differ in scale by 1e6 is not (the unscaled curvature's eigenvalue ratio is below
/// 1e-12 there, which the check on the raw Hessian took for a flat direction).
@Suite("Flat directions: scaled Gauss-Newton curvature")
struct FlatDirectionTests {
    @Test("a + (b1 + b2) N: the fit warns of the flat direction b1 - b2 and Laplace intervals are refused")
    func genuinelyFlat() async throws {
        let x = [1.0, 2, 3, 4, 5], y = [2.1, 3.9, 6.2, 7.8, 10.1]
        let runs = [Run(name: "line", observations: zip(x, y).map { Observation(loss: $1, parameters: $0) })]
        let law = TestSumSlopeLaw()
        let options = FitOptions(objective: ObjectiveSpec(loss: .squared, space: .linear), workers: 1)
        let fit = try await LawFitter(law: law, options: options).fit(runs)
        // OLS (numpy): intercept 0.05, slope b1 + b2 = 1.99.
        #expect(abs(fit.values[0] - 0.05) < 1e-5 && abs(fit.values[1] + fit.values[2] - 1.99) < 1e-5, "\(fit.values)")
        let flat = fit.warnings.filter { $0.hasPrefix("flat direction") }
        #expect(flat.count == 1, "\(fit.warnings)")
        #expect(flat.first?.contains("b1 (") == true && flat.first?.contains("b2 (") == true && flat.first?.contains("a (") == false, "\(flat)")
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), spec: options.objective)
        let statistics = try FitStatistics(objective: objective, fit: fit)
        #expect(statistics.laplace == nil)
        #expect(statistics.laplaceError?.contains("flat direction") == true)
    }

    @Test("a + b N with N around 1e6: no flat direction, and the standard errors of ordinary least squares")
    func badlyScaledButDetermined() throws {
        // y = 0.5 + 2e-6 N plus a fixed zig-zag: a unique, well-conditioned fit in scaled coordinates.
        let x = (0..<40).map { 1e6 + 1e5 * Double($0) }
        let y = x.enumerated().map { i, n in 0.5 + 2e-6 * n + (i % 2 == 0 ? 0.01 : -0.01) * Double(i % 5) }
        let runs = [Run(name: "line", observations: zip(x, y).map { Observation(loss: $1, parameters: $0) })]
        let law = TestLinearLaw()
        // Closed-form OLS: slope Sxy / Sxx, intercept ybar - slope xbar, s^2 = RSS / (n - 2),
        // se(slope) = s / sqrt(Sxx), se(intercept) = s sqrt(1/n + xbar^2 / Sxx).
        let n = Double(x.count), xbar = x.reduce(0, +) / n, ybar = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - xbar) * ($1 - xbar) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - xbar) * ($1.1 - ybar) }
        let slope = sxy / sxx, intercept = ybar - slope * xbar
        let rss = zip(x, y).reduce(0) { $0 + Foundation.pow($1.1 - intercept - slope * $1.0, 2) }
        let s2 = rss / (n - 2)
        let seSlope = (s2 / sxx).squareRoot(), seIntercept = (s2 * (1 / n + xbar * xbar / sxx)).squareRoot()
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), spec: ObjectiveSpec(loss: .squared, space: .linear))
        let values = [intercept, slope]
        let curvature = try ObjectiveHessian.gaussNewton(objective, at: values)
        // The unscaled matrix: its eigenvalue ratio is far below both thresholds.
        let raw = SymmetricEigen(curvature).values
        #expect(raw[0] / raw[1] < 1e-12, "\(raw)")
        #expect(LawFitter.flatDirectionWarnings(curvature, names: ["a", "b"]).isEmpty)
        let laplace = try LaplaceIntervals(objective: objective, values: values)
        #expect(abs(laplace.parameters[0].interval.standardError / seIntercept - 1) < 1e-6, "\(laplace.parameters[0]) vs \(seIntercept)")
        #expect(abs(laplace.parameters[1].interval.standardError / seSlope - 1) < 1e-6, "\(laplace.parameters[1]) vs \(seSlope)")
    }
}
