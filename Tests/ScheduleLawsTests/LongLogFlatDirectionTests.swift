import Foundation
@testable import LawfitCore
import TestSupport
import Testing
@testable import ScheduleLaws

/// The 1e6-row log of `lawfit-bench long-log` (issue 14), made the same way: one run logged at every
/// step under `wsd(peak=3e-4, decay_start=900000, total=1000000, floor=3e-5, shape=linear)`, its loss
/// the LR-annealing curve (L0 2.5, A 1, alpha 0.3, C 2, lambda 0.999) times exp(0.003 z), z from
/// SplitMix64 seed 14 by Box-Muller.
private func longLog() throws -> Run {
    let rows = 1_000_000
    let schedule = try denseSchedule("wsd(peak=3e-4, decay_start=900000, total=1000000, floor=3e-5, shape=linear)")
    var random = SplitMix64(seed: 14)
    func uniform() -> Double { (Double(random.next() >> 11) + 0.5) * 0x1p-53 }
    var observations: [Observation] = []
    observations.reserveCapacity(rows)
    var previous = schedule.schedule.rate(at: 0), tau = 0.0, momentum = 0.0, area = 0.0
    for step in 1...rows {
        let rate = schedule.schedule.rate(at: step)
        tau += rate
        momentum = 0.999 * momentum + (previous - rate)
        area += momentum
        previous = rate
        let z = (-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * Double.pi * uniform())
        observations.append(Observation(loss: (2.5 + Foundation.pow(tau, -0.3) - 2 * area) * Foundation.exp(0.003 * z), step: step))
    }
    return Run(name: "long", observations: observations, schedule: schedule)
}

/// On the 1e6-row log, the finite-difference Hessian at the lr-annealing fit has a negative
/// eigenvalue (-1.7e-10 of the largest, along C: truncation error of the lambda column), so `lawfit
/// fit` reported a flat direction and no standard errors. The check now runs on the Gauss-Newton
/// curvature scaled by its diagonal: no flat direction, and standard errors that agree with the
/// sampling theory of the M-estimate computed independently (Jacobian by central differences at the
/// truth, closed-form Huber variance factor).
@Suite("Long log: standard errors of the lr-annealing fit")
struct LongLogFlatDirectionTests {
    @Test("no flat direction on the 1e6-row log, and Laplace standard errors = sqrt((1/P) / v) x the linearised sampling ones")
    func standardErrorsOnLongLog() throws {
        let run = try longLog()
        let law = LRAnnealingLaw()
        let spec = ObjectiveSpec()  // Huber(1e-3) on log residuals, lawfit fit's default
        let evaluator = try law.makeEvaluator(for: [run])
        let objective = try BoundObjective(
            evaluator: evaluator, space: law.parameterSpace(adaptedTo: [run]), observed: try TrainingLog(runs: [run]).requireLosses(), spec: spec)
        // The release fit of this log (`lawfit fit --law lr-annealing`, objective 1.9366306252542866).
        let fitted = [2.4999705920244337, 1.0001796822976776, 0.30001706995932725, 1.966280055277067, 0.9990171759858963]
        let curvature = try ObjectiveHessian.gaussNewton(objective, at: objective.space.toInternal(fitted))
        #expect(LawFitter.flatDirectionWarnings(curvature, names: objective.space.names).isEmpty)
        let laplace = try LaplaceIntervals(objective: objective, values: fitted, hessian: curvature)
        // Sampling standard errors of the M-estimate: v (J^T J)^-1 (J = d log L / d theta at the
        // truth, central differences on parameter-scaled steps).
        let truth = [2.5, 1, 0.3, 2, 0.999]
        let p = truth.count, n = evaluator.count
        var information = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        // Columns scaled by each parameter's size (lambda: by 1 - lambda), so the matrix is well conditioned.
        let size = [2.5, 1, 0.3, 2, 1e-3]
        var columns: [[Double]] = []
        for j in 0..<p {
            let h = 1e-6 * size[j]
            var up = truth, down = truth
            up[j] += h
            down[j] -= h
            let plus = evaluator.predict(up), minus = evaluator.predict(down)
            columns.append((0..<n).map { (Foundation.log(plus[$0]) - Foundation.log(minus[$0])) / (2 * h) * size[j] })
        }
        for j in 0..<p {
            for k in j..<p {
                var sum = 0.0
                for i in 0..<n { sum += columns[j][i] * columns[k][i] }
                information[j][k] = sum
                information[k][j] = sum
            }
        }
        let inverse = SymmetricEigen(information)
        let noise = 0.003
        let v = noise * noise * mEstimatorVarianceFactor(spec.loss, noise: noise)
        // Laplace's Huber covariance is sigma^2 (J^T diag(rho'') J)^-1: the inlier share P = P(|e| <= delta)
        // of J^T J, with sigma^2 ~ noise^2; so each standard error is sqrt((1/P) noise^2 / v) times the sampling one.
        let inliers = Foundation.erf(1e-3 / noise / 2.0.squareRoot())
        let expected = (noise * noise / inliers / v).squareRoot()
        for j in 0..<p {
            let variance = size[j] * size[j] * zip(inverse.values, inverse.vectors).reduce(0) { $0 + $1.1[j] * $1.1[j] / $1.0 }
            let sampling = (v * variance).squareRoot()
            let ratio = laplace.parameters[j].interval.standardError / sampling
            #expect(abs(ratio / expected - 1) < 0.05, "\(objective.space.names[j]): Laplace \(laplace.parameters[j].interval.standardError), sampling \(sampling), ratio \(ratio), expected \(expected)")
            // The truth lies within 3 standard errors of the fit.
            #expect(abs(fitted[j] - truth[j]) < 3 * laplace.parameters[j].interval.standardError, "\(objective.space.names[j])")
        }
    }
}
