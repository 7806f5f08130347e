import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import ScheduleLaws

/// Log-space fits whose line searches step into negative predictions: the objective's linear
/// continuation below the log domain (BoundObjective.logDomainFloor) lets them step back.
@Suite("Log-space fits that overshoot into negative predictions")
struct LogDomainRecoveryTests {
    /// The demo's constant, cosine and two-stage curves (exact expected loss of SGD on power-law
    /// kernel regression, Fixtures/demo/curves) with their schedules.
    static func demoCurves() throws -> [Run] {
        let schedules = [
            "constant": "constant(peak=0.1, total=3000)",
            "cosine": "cosine(peak=0.1, floor=0.001, total=3000)",
            "twostage": "twostage(peak=0.1, low=0.02, switch=1500, total=3000)",
        ]
        let reader = TrainingLogReader(required: [.loss, .step])
        return try schedules.keys.sorted().flatMap { name in
            try reader.read(SharedData.fixture("demo/curves/\(name).csv")).runs.map { run in
                var run = run
                run.schedule = try denseSchedule(schedules[name]!)
                return run
            }
        }
    }

    @Test("lr-annealing on the demo curves: every start succeeds (every one failed on a negative trial prediction before) and fits every point within 3 %")
    func lrAnnealingOnDemoCurves() async throws {
        let runs = try Self.demoCurves()
        let law = LRAnnealingLaw()
        let result = try await LawFitter(law: law, options: FitOptions(workers: 1)).fit(runs)
        #expect(result.starts.allSatisfy { $0.objective != nil }, "\(result.starts.map(\.status))")
        let predictions = try law.makeEvaluator(for: runs).predict(result.values)
        let observed = runs.flatMap(\.observations).map { $0.loss! }
        let worst = zip(predictions, observed).map { abs($0 / $1 - 1) }.max()!
        #expect(worst < 0.03, "worst relative error \(worst)")
    }
}
