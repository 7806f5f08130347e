import Foundation
import LawfitCore

/// Points on a grid of model sizes N and token counts D (and optionally unique tokens U), with the
/// loss of a given law at known parameters, optionally with multiplicative noise from a fixed LCG.
func syntheticRuns(
    law: some ScalingLaw, truth: [Double], noise: Double = 0,
    sizes: [Double] = [7e7, 2e8, 6e8, 1.6e9, 4e9, 1.6e10],
    tokens: [Double] = [1e9, 3e9, 1e10, 3e10, 1e11, 3e11, 1e12],
    unique: [Double]? = nil
) throws -> [Run] {
    var observations: [Observation] = []
    var line = 2
    for n in sizes {
        for d in tokens {
            for u in unique ?? [0] {
                observations.append(Observation(parameters: n, tokens: d, uniqueTokens: unique == nil ? nil : u, line: line))
                line += 1
            }
        }
    }
    let bare = [Run(name: "synthetic", observations: observations)]
    let losses = try law.makeEvaluator(for: bare).predict(truth)
    var state: UInt64 = 2024
    for i in observations.indices {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let uniform = Double(state >> 11) / Double(1 << 53) - 0.5
        observations[i].loss = losses[i] * (1 + noise * uniform)
    }
    return [Run(name: "synthetic", observations: observations)]
}

/// Central-difference check of an evaluator's analytic Jacobian: the worst ratio over entries of
/// |analytic - numeric| to (|numeric| + 1e-2 |L_i| / |theta_j|), i.e. relative error with an absolute
/// allowance at the round-off level of the differences (steps of 1e-6 |theta_j|). Pass if < 1e-6.
func jacobianError(_ evaluator: any LawEvaluator, at theta: [Double]) -> Double {
    let (predictions, analytic) = evaluator.predictWithJacobian(theta)
    var unused: [Double] = []
    var numeric: [Double] = []
    evaluator.finiteDifferenceJacobian(theta, into: &unused, jacobian: &numeric)
    let p = theta.count
    var worst = 0.0
    for k in analytic.indices {
        let scale = abs(numeric[k]) + 1e-2 * abs(predictions[k / p]) / max(abs(theta[k % p]), 1e-12)
        worst = max(worst, abs(analytic[k] - numeric[k]) / scale)
    }
    return worst
}
