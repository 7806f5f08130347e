import LawfitCore
import TestSupport

/// Runs of (N, D) points with losses from `law` at `truth`, times exp(noise * normal) when noisy.
func syntheticRuns(_ law: any ScalingLaw, truth: [Double], points: [(n: Double, d: Double)], noise: Double = 0, seed: UInt64 = 1) throws -> [Run] {
    try syntheticRuns(law, truth: truth, points: points.map { Observation(parameters: $0.n, tokens: $0.d) }, noise: noise, seed: seed)
}
