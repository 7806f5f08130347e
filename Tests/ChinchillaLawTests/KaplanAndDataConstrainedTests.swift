import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import ChinchillaLaw

/// Muennighoff et al.'s published data-constrained fit, in parameter order A, B, E, alpha, beta, R_D*, R_N*.
let datablations = [
    Foundation.exp(6.255414), Foundation.exp(7.3049974), Foundation.exp(0.6254804),
    0.3526596, 0.3526596, 15.387756, 5.309743,
]

@Suite("Kaplan and data-constrained laws")
struct KaplanAndDataConstrainedTests {
    let kaplanTruth = [6.4e13, 1.8e13, 0.076, 0.103]

    @Test("Kaplan: L(N_c, D_c) = 2^alpha_D and L(N, infinite D) = (N_c/N)^alpha_N")
    func kaplanClosedForm() throws {
        let runs = [Run(name: "x", observations: [
            Observation(parameters: 6.4e13, tokens: 1.8e13),
            Observation(parameters: 1e9, tokens: 1e300),
        ])]
        let predicted = try KaplanLaw().makeEvaluator(for: runs).predict(kaplanTruth)
        #expect(abs(predicted[0] - Foundation.pow(2, 0.103)) < 1e-14)
        #expect(abs(predicted[1] - Foundation.pow(6.4e13 / 1e9, 0.076)) < 1e-12)
    }

    @Test("Kaplan: analytic Jacobian matches central differences")
    func kaplanGradient() throws {
        let law = KaplanLaw()
        let evaluator = try law.makeEvaluator(for: try syntheticRuns(law: law, truth: kaplanTruth))
        #expect(jacobianError(evaluator, at: kaplanTruth) < 1e-6)
        #expect(jacobianError(evaluator, at: [1e11, 5e10, 0.3, 0.2]) < 1e-6)
    }

    @Test("Kaplan: noise-free data recovered to 1e-6 relative")
    func kaplanRecovery() async throws {
        let law = KaplanLaw()
        let runs = try syntheticRuns(law: law, truth: kaplanTruth)
        let result = try await LawFitter(law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared))).fit(runs)
        for (fitted, expected) in zip(result.values, kaplanTruth) {
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(fitted) vs \(expected)")
        }
    }

    @Test("Data-constrained: the README example L(6.34e9, 242e9, 25e9) = 2.2256440889984477")
    func datablationsExample() throws {
        let runs = [Run(name: "x", observations: [Observation(parameters: 6.34e9, tokens: 242e9, uniqueTokens: 25e9)])]
        let predicted = try DataConstrainedLaw().makeEvaluator(for: runs).predict(datablations)[0]
        #expect(abs(predicted - 2.2256440889984477) <= 1e-9 * 2.2256440889984477, "\(predicted)")
    }

    @Test("Data-constrained: with no repetition and N below N_opt(U) it is Chinchilla")
    func reducesToChinchilla() throws {
        let point = Observation(parameters: 1e8, tokens: 1e10, uniqueTokens: 1e12)
        let constrained = try DataConstrainedLaw().makeEvaluator(for: [Run(name: "x", observations: [point])]).predict(datablations)[0]
        let chinchilla = try ChinchillaLaw().makeEvaluator(for: [Run(name: "x", observations: [point])])
            .predict(Array(datablations[0..<5]))[0]
        #expect(abs(constrained - chinchilla) <= 1e-14 * chinchilla)
    }

    @Test("Data-constrained: analytic Jacobian matches central differences on both sides of both kinks")
    func dataConstrainedGradient() throws {
        let law = DataConstrainedLaw()
        // U from far below to far above D, N from below to far above N_opt(U).
        let runs = try syntheticRuns(
            law: law, truth: datablations, sizes: [1e8, 1e9, 9e9, 3e10], tokens: [1e9, 1e10, 1e11, 5e11],
            unique: [1e8, 2e9, 2e10, 1e12])
        let evaluator = try law.makeEvaluator(for: runs)
        #expect(jacobianError(evaluator, at: datablations) < 1e-6)
        #expect(jacobianError(evaluator, at: [300, 2000, 1.7, 0.3, 0.4, 4, 20]) < 1e-6)
    }

    @Test("Data-constrained: noise-free data recovered to 1e-6 relative")
    func dataConstrainedRecovery() async throws {
        let law = DataConstrainedLaw()
        let truth = [406.4, 410.7, 1.69, 0.34, 0.28, 15.4, 5.3]
        let runs = try syntheticRuns(
            law: law, truth: truth, sizes: [1e8, 4e8, 1.6e9, 6e9, 2e10], tokens: [1e9, 4e9, 1.6e10, 6e10, 2e11, 8e11],
            unique: [5e8, 4e9, 3e10, 1e12])
        let start = law.parameterSpace.toNatural(zip(law.parameterSpace.toInternal(truth), [0.3, -0.3, 0.1, 0.05, -0.04, 0.3, -0.3]).map(+))
        let result = try await LawFitter(
            law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared), starts: .points([start]))
        ).fit(runs)
        for (fitted, expected) in zip(result.values, truth) {
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(fitted) vs \(expected)")
        }
    }
}
