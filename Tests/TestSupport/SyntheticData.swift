import Foundation
import LawfitCore
import Optimization

// Helpers shared by the law plugins' tests: seeded noise, synthetic runs, Jacobian checks.

/// A seeded uniform generator (64-bit LCG, top 53 bits) for reproducible test noise.
public struct SeededUniform {
    public var state: UInt64
    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    public mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    /// A standard normal draw (Box-Muller).
    public mutating func normal() -> Double {
        let u = max(next(), 1e-300), v = next()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

/// One run at `points` (observations without losses) with losses from `law` at `truth`, times
/// exp(noise * normal) when noisy.
public func syntheticRuns(_ law: any ScalingLaw, truth: [Double], points: [Observation], noise: Double = 0, seed: UInt64 = 1) throws -> [Run] {
    let clean = try law.makeEvaluator(for: [Run(name: "synthetic", observations: points)]).predict(truth)
    var random = SeededUniform(seed: seed)
    let observations = zip(points, clean).enumerated().map { k, pair in
        var observation = pair.0
        observation.loss = pair.1 * Foundation.exp(noise * random.normal())
        observation.line = k + 2
        return observation
    }
    return [Run(name: "synthetic", observations: observations)]
}

/// The largest relative difference between the analytic Jacobian and central differences, beyond
/// the central difference's own round-off (10 eps |L_i| / h); NaN when any entry (analytic or
/// differenced) is NaN, so that `jacobianError(...) <= tolerance` fails on it.
public func jacobianError(_ evaluator: any LawEvaluator, at theta: [Double]) -> Double {
    let (values, analytic) = evaluator.predictWithJacobian(theta)
    let p = theta.count, n = evaluator.count
    var worst = 0.0
    for j in 0..<p {
        let h = 1e-6 * max(abs(theta[j]), 1e-3)
        var up = theta, down = theta
        up[j] += h
        down[j] -= h
        let plus = evaluator.predict(up), minus = evaluator.predict(down)
        let fd = (0..<n).map { (plus[$0] - minus[$0]) / (2 * h) }
        // Entries far below the column's largest are compared on that column's scale (round-off).
        let floor = 1e-3 * (fd.map(abs).max() ?? 0) + 1e-300
        for i in 0..<n {
            let scale = max(abs(fd[i]), abs(analytic[i * p + j]), floor)
            let roundOff = 10 * Double.ulpOfOne * abs(values[i]) / h
            let error = (abs(analytic[i * p + j] - fd[i]) - roundOff) / scale
            // `max` drops a NaN; this keeps it, so a NaN entry fails every `<= tolerance` check.
            if !(error <= worst) { worst = error }
            if worst.isNaN { return .nan }
        }
    }
    return worst
}

/// Central differences of the predictions with relative steps h_j = `step` |theta_j| (for parameters
/// of very different scales), row-major like ``LawEvaluator/predict(_:into:jacobian:)``'s Jacobian.
public func relativeStepJacobian(_ evaluator: any LawEvaluator, at theta: [Double], step: Double) -> [Double] {
    let p = theta.count, n = evaluator.count
    var jacobian = [Double](repeating: 0, count: n * p)
    for j in 0..<p {
        let h = step * abs(theta[j])
        var up = theta, down = theta
        up[j] += h
        down[j] -= h
        let plus = evaluator.predict(up), minus = evaluator.predict(down)
        for i in 0..<n { jacobian[i * p + j] = (plus[i] - minus[i]) / (2 * h) }
    }
    return jacobian
}

/// Fits `law` to noise-free `runs` made from `truth` by squared error from one start 15-20 % away
/// (alternately +20 % and -15 %) with tight tolerances; returns the worst relative parameter error.
public func recoveryError(_ law: any ScalingLaw, runs: [Run], truth: [Double]) async throws -> Double {
    let start = truth.enumerated().map { $1 * ($0 % 2 == 0 ? 1.2 : 0.85) }
    let options = FitOptions(
        objective: ObjectiveSpec(loss: .squared, space: .linear),
        stopping: StoppingCriteria(ftolRel: 1e-15, xtolRel: 1e-12, maxEvaluations: 4000),
        starts: .points([start]), workers: 1)
    let result = try await LawFitter(law: law, options: options).fit(runs)
    return zip(result.values, truth).map { abs($0 / $1 - 1) }.max()!
}
