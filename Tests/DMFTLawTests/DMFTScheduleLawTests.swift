import Foundation
import LawfitCore
import Testing
import TestSupport
@testable import DMFTLaw

/// `dmft-sgd` as a fittable law: per-point schedules, the noise convention and the Jacobian.
@Suite struct DMFTScheduleLawTests {
    static let truth = [2.2, 1.5, 0.8, 0.3, 500.0, 300.0]  // a, b, s, E, lrScale, features

    static func runs() throws -> [Run] {
        let specs = ["cosine(peak=4e-4, floor=4e-5, warmup=20, total=300)", "wsd(peak=4e-4, warmup=20, decay_start=200, total=300, floor=4e-5)"]
        return try specs.enumerated().map { r, spec in
            let observations = stride(from: 10, through: 300, by: 29).map { Observation(step: $0, line: $0) }
            return Run(name: "run\(r)", observations: observations, schedule: try denseSchedule(spec))
        }
    }

    /// The law is E + s E_SGD with eta = lrScale x lr and label noise E/s: compared with the theory
    /// called directly (which runs the recursion with the noise, not the affine split), 1e-12 relative.
    @Test func predictionsAreTheTheoryWithTheIrreducibleLossAsLabelNoise() throws {
        let runs = try Self.runs()
        let (a, b, s, e, c, n) = (Self.truth[0], Self.truth[1], Self.truth[2], Self.truth[3], Self.truth[4], Self.truth[5])
        let predictions = try DMFTScheduleLaw().makeEvaluator(for: runs).predict(Self.truth)
        let theory = try RandomFeatureSGDTheory(a: a, b: b)
        var k = 0
        for run in runs {
            let schedule = try #require(run.schedule)
            let steps = run.observations.map { $0.step! }
            let direct = try theory.expectedLoss(rates: schedule.rates.map { c * $0 }, features: n, batchSize: 1, noise: e / s, steps: steps)
            for value in direct {
                let expected = e + s * value
                #expect(abs(predictions[k] / expected - 1) <= 1e-12, "point \(k): \(predictions[k]) vs \(expected)")
                k += 1
            }
        }
    }

    /// The evaluator's Jacobian (affine parts for s and E, relative central differences for the rest)
    /// against central differences of the predictions; measured 1.6e-6, tolerance 1e-3.
    @Test func jacobianMatchesCentralDifferences() throws {
        let evaluator = try DMFTScheduleLaw().makeEvaluator(for: try Self.runs())
        let error = jacobianError(evaluator, at: Self.truth)
        print("dmft-sgd Jacobian: max relative error \(error)")
        #expect(error <= 1e-3)
    }

    /// A step beyond the run's schedule is an input error naming the run and the step.
    @Test func stepOutsideTheScheduleIsAnInputError() throws {
        var runs = try Self.runs()
        runs[0].observations.append(Observation(step: 301, line: 99))
        #expect(throws: LawfitError.self) { try DMFTScheduleLaw().makeEvaluator(for: runs) }
    }
}
