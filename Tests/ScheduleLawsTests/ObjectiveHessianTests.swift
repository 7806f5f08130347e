import Foundation
@testable import LawfitCore
import TestSupport
import Testing
@testable import ScheduleLaws

/// Three multi-power curves (1200 steps, a point every 25 from 100; constant, cosine, WSD) at the
/// truth (L0, A, alpha, B, C, beta, gamma) = (2.4, 0.6, 0.45, 50, 2, 0.6, 0.6), times log-normal
/// noise of 0.3 % from a fixed seed (`noise` 0: the law's own predictions).
private func curves(noise: Double) throws -> [Run] {
    let specs = [
        "constant(peak=3e-3, warmup=100, total=1200)", "cosine(peak=3e-3, floor=3e-4, warmup=100, total=1200)",
        "wsd(peak=3e-3, warmup=100, decay_start=800, total=1200, floor=3e-4, shape=linear)",
    ]
    var generator = SplitMix64(seed: 23)
    func gaussian() -> Double {
        let u1 = (Double(generator.next() >> 11) + 0.5) * 0x1p-53, u2 = Double(generator.next() >> 11) * 0x1p-53
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    return try specs.enumerated().map { k, spec in
        var run = Run(name: "curve\(k)", observations: stride(from: 100, through: 1200, by: 25).map { Observation(step: $0) }, schedule: try denseSchedule(spec))
        let losses = try MultiPowerLaw().makeEvaluator(for: [run]).predict([2.4, 0.6, 0.45, 50, 2.0, 0.6, 0.6])
        for i in run.observations.indices { run.observations[i].loss = losses[i] * Foundation.exp(noise * gaussian()) }
        return run
    }
}

/// ``ObjectiveHessian/gaussNewton(_:at:)`` against independent computations: the residuals'
/// Jacobian by central differences of the predictions in the optimiser's coordinates (not the
/// law's analytic Jacobian, not its transforms' slopes), and, where the residuals vanish, the
/// finite-difference Hessian of the objective itself (the Gauss-Newton matrix is then the Hessian).
@Suite("Objective curvature: Gauss-Newton matrix")
struct ObjectiveHessianTests {
    /// sum_i c_i (dr_i/du_j)(dr_i/du_k) with c_i = w_i rho''(r_i) and dr/du by central differences.
    private func finiteDifferenceGaussNewton(_ objective: BoundObjective, at u: [Double]) -> [[Double]] {
        let space = objective.space, p = u.count, observed = objective.observed
        func residuals(_ x: [Double]) -> [Double] {
            let predictions = objective.evaluator.predict(space.toNatural(x))
            return zip(predictions, observed).map { objective.spec.space == .log ? Foundation.log($0) - Foundation.log($1) : $0 - $1 }
        }
        let r = residuals(u)
        var columns: [[Double]] = []
        for j in 0..<p {
            let h = 1e-6 * max(abs(u[j]), 1e-2)
            var up = u, down = u
            up[j] += h
            down[j] -= h
            columns.append(zip(residuals(up), residuals(down)).map { ($0 - $1) / (2 * h) })
        }
        let c = r.indices.map { i -> Double in
            let w = objective.weights?[i] ?? 1
            switch objective.spec.loss {
            case .squared: return 2 * w
            case .huber(let delta): return abs(r[i]) <= delta ? w : 0
            }
        }
        return (0..<p).map { j in (0..<p).map { k in r.indices.reduce(0) { $0 + c[$1] * columns[j][$1] * columns[k][$1] } } }
    }

    @Test(
        "equals the finite-difference Jacobian product: Huber and squared, log and linear residuals, with weights",
        arguments: [
            (ObjectiveSpec(), false), (ObjectiveSpec(loss: .squared), false), (ObjectiveSpec(loss: .squared, space: .linear), true),
            (ObjectiveSpec(loss: .huber(delta: 3e-3)), true),
        ])
    func matchesFiniteDifferenceJacobian(spec: ObjectiveSpec, weighted: Bool) throws {
        let runs = try curves(noise: 0.003)
        let law = MultiPowerLaw()
        let observed = try TrainingLog(runs: runs).requireLosses()
        let weights = weighted ? observed.indices.map { 0.5 + Double($0 % 7) / 4 } : nil
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace(adaptedTo: runs), observed: observed,
            weights: weights, spec: spec)
        let u = objective.space.toInternal([2.35, 0.65, 0.42, 45, 2.5, 0.5, 0.7])
        let g = try ObjectiveHessian.gaussNewton(objective, at: u)
        let reference = finiteDifferenceGaussNewton(objective, at: u)
        for j in 0..<7 {
            #expect(g[j][j] > 0)
            for k in 0..<7 {
                #expect(g[j][k] == g[k][j])
                let size = (reference[j][j] * reference[k][k]).squareRoot()
                #expect(abs(g[j][k] - reference[j][k]) <= 1e-6 * size, "\(spec) G[\(j)][\(k)] = \(g[j][k]) vs \(reference[j][k])")
            }
        }
    }

    @Test("equals the finite-difference Hessian where the residuals vanish (noise-free data at the truth)")
    func equalsHessianAtZeroResiduals() throws {
        let runs = try curves(noise: 0)
        let law = MultiPowerLaw()
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace(adaptedTo: runs),
            observed: try TrainingLog(runs: runs).requireLosses(), spec: ObjectiveSpec(loss: .squared))
        let u = objective.space.toInternal([2.4, 0.6, 0.45, 50, 2.0, 0.6, 0.6])
        let g = try ObjectiveHessian.gaussNewton(objective, at: u)
        let h = try ObjectiveHessian.compute(objective, at: u)
        for j in 0..<7 {
            for k in 0..<7 {
                let size = (g[j][j] * g[k][k]).squareRoot()
                #expect(abs(g[j][k] - h[j][k]) <= 1e-4 * size, "G[\(j)][\(k)] = \(g[j][k]), H = \(h[j][k])")
            }
        }
    }
}
