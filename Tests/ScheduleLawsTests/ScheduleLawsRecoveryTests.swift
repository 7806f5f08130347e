import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import ScheduleLaws

/// Warmup 100 steps from 0 to 3e-3, then constant, cosine to 3e-4 or two-stage (1e-3 from step 700).
private func syntheticSpec(_ shape: String) -> String {
    switch shape {
    case "cosine": "cosine(peak=3e-3, floor=3e-4, warmup=100, total=1200)"
    case "two-stage": "twostage(peak=3e-3, low=1e-3, switch=700, warmup=100, total=1200)"
    default: "constant(peak=3e-3, warmup=100, total=1200)"
    }
}

/// Fits `law` to its own noise-free curves on three schedules from a start 15-20 % away from
/// `truth`; returns the worst relative parameter error.
private func recoveryError(_ law: any ScalingLaw, truth: [Double]) async throws -> Double {
    let runs = try ["constant", "cosine", "two-stage"].map { shape in
        var run = Run(
            name: shape, observations: stride(from: 100, through: 1200, by: 25).map { Observation(step: $0) },
            schedule: try denseSchedule(syntheticSpec(shape)))
        let losses = try law.makeEvaluator(for: [run]).predict(truth)
        for i in run.observations.indices { run.observations[i].loss = losses[i] }
        return run
    }
    return try await recoveryError(law, runs: runs, truth: truth)
}

@Suite("Schedule-law parameter recovery from noise-free synthetic curves")
struct ScheduleLawsRecoveryTests {
    @Test("multi-power recovers its 7 parameters")
    func multiPower() async throws {
        let error = try await recoveryError(MultiPowerLaw(), truth: [2.4, 0.6, 0.45, 50, 2.0, 0.6, 0.6])
        #expect(error < 1e-6, "worst relative error \(error)")
    }

    @Test("lr-annealing recovers its 5 parameters")
    func lrAnnealing() async throws {
        let error = try await recoveryError(LRAnnealingLaw(), truth: [2.4, 0.6, 0.45, 0.4, 0.99])
        #expect(error < 1e-6, "worst relative error \(error)")
    }
}
