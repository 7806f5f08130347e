import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import FunctionalScalingLaw

/// Warmup 100 steps from 0, then constant, cosine to peak/10 or two-stage (peak/3 from step 700).
private func syntheticSpec(_ shape: String, peak: Double) -> String {
    switch shape {
    case "cosine": "cosine(peak=\(peak), floor=\(peak / 10), warmup=100, total=1200)"
    case "two-stage": "twostage(peak=\(peak), low=\(peak / 3), switch=700, warmup=100, total=1200)"
    default: "constant(peak=\(peak), warmup=100, total=1200)"
    }
}

/// Noise-free curves of `law` at `truth` on three schedules, observed every 25 steps from step 100.
private func syntheticRuns(_ law: any ScalingLaw, truth: [Double], peak: Double) throws -> [Run] {
    try ["constant", "cosine", "two-stage"].map { shape in
        let bare = Run(
            name: shape, observations: stride(from: 100, through: 1200, by: 25).map { Observation(step: $0) },
            schedule: try denseSchedule(syntheticSpec(shape, peak: peak)))
        let losses = try law.makeEvaluator(for: [bare]).predict(truth)
        var run = bare
        for i in run.observations.indices { run.observations[i].loss = losses[i] }
        return run
    }
}

/// Fits `law` from a start 15-20 % away from `truth` and returns the worst relative parameter error.
private func recoveryError(_ law: any ScalingLaw, truth: [Double], peak: Double) async throws -> Double {
    let runs = try syntheticRuns(law, truth: truth, peak: peak)
    return try await recoveryError(law, runs: runs, truth: truth)
}

@Suite("FSL parameter recovery from noise-free synthetic curves")
struct FSLRecoveryTests {
    @Test("fsl surrogate recovers its 7 parameters")
    func surrogate() async throws {
        let error = try await recoveryError(FSLSurrogateLaw(), truth: [2.3, 0.6, 0.5, 60, 5, 20, 1.5], peak: 3e-3)
        #expect(error < 1e-6, "worst relative error \(error)")
    }

    @Test("fsl-theory recovers capacity, source, amplitude, noise and LR scale through the functional")
    func theory() async throws {
        let law = FSLTheoryLaw(modes: 40, batchSize: 4, form: .continuum)
        let error = try await recoveryError(law, truth: [1.5, 0.5, 1.0, 0.09, 2.0], peak: 0.05)
        #expect(error < 1e-6, "worst relative error \(error)")
    }
}
