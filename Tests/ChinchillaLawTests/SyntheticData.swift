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
