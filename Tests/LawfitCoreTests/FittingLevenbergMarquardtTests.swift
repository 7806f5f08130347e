import Foundation
import Optimization
import Testing
import TestSupport
@testable import LawfitCore

/// L(N) = E + A N^-alpha, linear in E and A: the smallest partially linear law, so that
/// Levenberg-Marquardt and staged starts are tested without any plugin.
private struct LinearPartsLaw: PartiallyLinearLaw {
    let name = "test-linear-parts"
    let summary = "E + A N^-alpha"
    let requiredInputs: Set<LawInput> = [.parameters]
    let linearParameters = ["E", "A"]
    let parameterSpace = ParameterSpace([
        Parameter("E", "offset", bounds: 0...100, starts: [0.5, 2]),
        Parameter("A", "scale", bounds: 1e-6...1e8, transform: .log, starts: [10, 1000]),
        Parameter("alpha", "exponent", bounds: 0...3, starts: [0.2, 0.8]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator { PowerLawInNEvaluator(runs) }
}

/// 40 points of E + A N^-alpha, each loss multiplied by 1 + noise (uniform, fixed generator).
private func runs(_ truth: [Double], noise: Double) -> [Run] {
    var state: UInt64 = 7
    let observations = (0..<40).map { k -> Observation in
        let n = 1e6 * Foundation.pow(10, Double(k) / 8)
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let loss = (truth[0] + truth[1] * Foundation.pow(n, -truth[2])) * (1 + noise * (Double(state >> 11) / Double(1 << 53) - 0.5))
        return Observation(loss: loss, parameters: n, line: k + 2)
    }
    return [Run(name: "synthetic", observations: observations)]
}

@Suite("Fitting by Levenberg-Marquardt with staged starts")
struct FittingLevenbergMarquardtTests {
    static let truth = [1.7, 400.0, 0.33]

    /// For squared error in linear space at an exact fit (zero residuals) the Gauss-Newton curvature
    /// is the Hessian: it matches the finite-difference Hessian of the objective, and the gradient
    /// matches central differences of the value.
    @Test func curvatureAndGradientMatchFiniteDifferences() throws {
        let law = LinearPartsLaw(), data = runs(Self.truth, noise: 0)
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: data), space: law.parameterSpace,
            observed: try TrainingLog(runs: data).requireLosses(), spec: ObjectiveSpec(loss: .squared, space: .linear))
        let u = law.parameterSpace.toInternal(Self.truth)
        let model = objective.makeModelObjective()
        var gradient = [Double](repeating: 0, count: 3), curvature = [Double](repeating: 0, count: 9)
        _ = try u.withUnsafeBufferPointer { ub in
            try gradient.withUnsafeMutableBufferPointer { gb in try curvature.withUnsafeMutableBufferPointer { try model(ub, gb, $0) } }
        }
        let hessian = try ObjectiveHessian.compute(objective, at: u).flatMap { $0 }
        let scale = hessian.map(abs).max()!
        for k in 0..<9 { #expect(abs(curvature[k] - hessian[k]) <= 1e-4 * scale, "entry \(k): \(curvature[k]) vs \(hessian[k])") }

        // Away from the optimum, in log space with Huber: the gradient against central differences.
        let logObjective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: data), space: law.parameterSpace,
            observed: try TrainingLog(runs: data).requireLosses(), spec: ObjectiveSpec())
        let v = law.parameterSpace.toInternal([1.5, 300, 0.3])
        let logModel = logObjective.makeModelObjective()
        _ = try v.withUnsafeBufferPointer { ub in
            try gradient.withUnsafeMutableBufferPointer { gb in try curvature.withUnsafeMutableBufferPointer { try logModel(ub, gb, $0) } }
        }
        for j in 0..<3 {
            var plus = v, minus = v
            let h = 1e-6 * max(abs(v[j]), 1)
            plus[j] += h
            minus[j] -= h
            let plusValue = try plus.withUnsafeBufferPointer { try logModel($0, nil, nil) }
            let minusValue = try minus.withUnsafeBufferPointer { try logModel($0, nil, nil) }
            let difference = (plusValue - minusValue) / (2 * h)
            #expect(abs(gradient[j] - difference) <= 1e-5 * max(abs(difference), 1e-8), "coordinate \(j)")
        }
        // The curvature is symmetric and positive semi-definite on its diagonal.
        #expect(curvature[1] == curvature[3] && curvature[2] == curvature[6] && curvature[5] == curvature[7])
        #expect((0..<3).allSatisfy { curvature[$0 * 4] >= 0 })
    }

    /// The staged start solves E and A exactly for the true alpha on noise-free data.
    @Test func stagedStartSolvesTheLinearParameters() throws {
        let law = LinearPartsLaw(), data = runs(Self.truth, noise: 0)
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: data), space: law.parameterSpace,
            observed: try TrainingLog(runs: data).requireLosses(), spec: ObjectiveSpec())
        let staged = StagedStart.solveLinear([[0.5, 10, Self.truth[2]]], law: law, objective: objective)[0]
        #expect(abs(staged[0] / Self.truth[0] - 1) <= 1e-10)
        #expect(abs(staged[1] / Self.truth[1] - 1) <= 1e-10)
        #expect(staged[2] == Self.truth[2])
    }

    /// The default fit (Levenberg-Marquardt from staged starts) reaches NLopt L-BFGS's optimum on noisy
    /// data in fewer evaluations, and gives the same bits on 1 and 3 workers.
    @Test func defaultFitReachesTheLBFGSOptimum() async throws {
        let law = LinearPartsLaw(), data = runs(Self.truth, noise: 0.01)
        let lm = try await LawFitter(law: law, options: FitOptions(workers: 1)).fit(data)
        let lbfgs = try await LawFitter(law: law, options: FitOptions(algorithm: .lbfgs, workers: 1)).fit(data)
        #expect(lm.algorithm == "Levenberg-Marquardt")
        #expect(lbfgs.algorithm == "LD_LBFGS")
        #expect(lm.objective <= lbfgs.objective * (1 + 1e-9), "LM \(lm.objective), L-BFGS \(lbfgs.objective)")
        for (a, b) in zip(lm.values, lbfgs.values) { #expect(abs(a / b - 1) <= 1e-4) }
        #expect(lm.evaluations < lbfgs.evaluations)
        let three = try await LawFitter(law: law, options: FitOptions(workers: 3)).fit(data)
        #expect(three.values.map(\.bitPattern) == lm.values.map(\.bitPattern))
        #expect(three.objective.bitPattern == lm.objective.bitPattern)
    }
}
