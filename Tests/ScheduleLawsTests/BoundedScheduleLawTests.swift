import Foundation
import LawfitCore
import Optimization
import TestSupport
import Testing
@testable import ScheduleLaws

/// `lawfit fit --bound` on a loss-curve law: ``BoundedLaw`` passes the law's linear parameters
/// through, so a bounded multi-power fit takes the default path of an unbounded one
/// (Levenberg-Marquardt from staged starts), not L-BFGS.
@Suite("Multi-power with narrowed bounds")
struct BoundedScheduleLawTests {
    static let truth = [2.4, 0.6, 0.45, 50, 2.0, 0.6, 0.6]

    /// Noise-free curves of `truth` on a constant, a cosine and a two-stage schedule (warmup 100 steps).
    static func runs() throws -> [Run] {
        let specs = [
            "constant(peak=3e-3, warmup=100, total=1200)", "cosine(peak=3e-3, floor=3e-4, warmup=100, total=1200)",
            "twostage(peak=3e-3, low=1e-3, switch=700, warmup=100, total=1200)",
        ]
        return try specs.enumerated().map { k, spec in
            var run = Run(
                name: "curve\(k)", observations: stride(from: 100, through: 1200, by: 25).map { Observation(step: $0) },
                schedule: try denseSchedule(spec))
            let losses = try MultiPowerLaw().makeEvaluator(for: [run]).predict(truth)
            for i in run.observations.indices { run.observations[i].loss = losses[i] }
            return run
        }
    }

    /// The default fit (squared error in linear space, tight tolerances, the law's start grid).
    static func fit(_ law: any ScalingLaw) async throws -> FitResult {
        let options = FitOptions(
            objective: ObjectiveSpec(loss: .squared, space: .linear),
            stopping: StoppingCriteria(ftolRel: 1e-15, xtolRel: 1e-12, maxEvaluations: 4000), workers: 1)
        return try await LawFitter(law: law, options: options).fit(try runs())
    }

    @Test("bounds that contain the optimum and every start: the same Levenberg-Marquardt fit as without them, to the bit, recovering the truth")
    func containingBoundsKeepTheDefaultPath() async throws {
        let free = try await Self.fit(MultiPowerLaw())
        let bounded = try await Self.fit(try BoundedLaw(MultiPowerLaw(), bounds: [("alpha", 0.3, 0.6), ("beta", 0.3, 0.9)]))
        #expect(bounded.algorithm == "Levenberg-Marquardt" && free.algorithm == "Levenberg-Marquardt", "\(bounded.algorithm)")
        #expect(bounded.values.map(\.bitPattern) == free.values.map(\.bitPattern), "\(bounded.values) vs \(free.values)")
        #expect(bounded.evaluations == free.evaluations)
        for (fitted, expected) in zip(bounded.values, Self.truth) {
            #expect(abs(fitted / expected - 1) <= 1e-6, "\(fitted) vs \(expected)")
        }
    }

    @Test("a bound that excludes the optimum (alpha = 0.45 below 0.5:0.6) pins alpha on it, with a warning")
    func excludingBoundPins() async throws {
        let pinned = try await Self.fit(try BoundedLaw(MultiPowerLaw(), bounds: [("alpha", 0.5, 0.6)]))
        #expect(pinned.algorithm == "Levenberg-Marquardt")
        #expect(pinned.values[2] == 0.5, "alpha \(pinned.values[2])")
        #expect(pinned.objective > 1e-12, "\(pinned.objective)")
        #expect(pinned.warnings.contains("parameter alpha is at its lower bound 0.5"), "\(pinned.warnings)")
    }
}
