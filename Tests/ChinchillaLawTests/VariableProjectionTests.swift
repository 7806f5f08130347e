import Foundation
import LawfitCore
import Testing
@testable import ChinchillaLaw

@Suite("Chinchilla by variable projection")
struct VariableProjectionTests {
    let squaredLinear = ObjectiveSpec(loss: .squared, space: .linear)

    @Test("Noise-free data: variable projection and the plain fit find the same optimum")
    func sameOptimum() async throws {
        let law = ChinchillaLaw()
        let runs = try syntheticRuns(law: law, truth: hoffmann)
        let projected = try await VariableProjectionFitter(law: law).fit(runs)
        #expect(projected.starts.count == 25)
        for (fitted, expected) in zip(projected.values, hoffmann) {
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(fitted) vs \(expected)")
        }
        let starts = law.parameterSpace.defaultStartGrid.enumerated().filter { $0.offset % 45 == 0 }.map(\.element)
        let plain = try await LawFitter(law: law, options: FitOptions(objective: squaredLinear, starts: .points(starts))).fit(runs)
        for (a, b) in zip(projected.values, plain.values) { #expect(abs(a - b) <= 1e-6 * abs(b)) }
    }

    @Test("Noisy data: the projected objective is no worse than the plain squared-error fit")
    func noisyNoWorse() async throws {
        let law = ChinchillaLaw()
        let runs = try syntheticRuns(law: law, truth: hoffmann, noise: 0.03)
        let projected = try await VariableProjectionFitter(law: law).fit(runs)
        let starts = law.parameterSpace.defaultStartGrid.enumerated().filter { $0.offset % 45 == 0 }.map(\.element)
        let plain = try await LawFitter(law: law, options: FitOptions(objective: squaredLinear, starts: .points(starts))).fit(runs)
        #expect(projected.objective <= plain.objective * (1 + 1e-9) + 1e-15, "\(projected.objective) vs \(plain.objective)")
        // The reported objective is the plain objective at the reported parameters.
        let observed = try TrainingLog(runs: runs).requireLosses()
        let bound = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace, observed: observed, spec: squaredLinear)
        #expect(abs(try bound.value(atNatural: projected.values) - projected.objective) <= 1e-10 * projected.objective)
    }

    @Test("Variable projection refuses a Huber or log-space objective")
    func refusesOtherObjectives() async throws {
        let law = ChinchillaLaw()
        let runs = try syntheticRuns(law: law, truth: hoffmann)
        await #expect(throws: LawfitError.self) {
            try await VariableProjectionFitter(law: law, options: FitOptions()).fit(runs)
        }
    }
}
