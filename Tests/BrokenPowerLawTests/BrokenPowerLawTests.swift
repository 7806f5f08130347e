import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import BrokenPowerLaw

/// Compute from 1e15 to 1e25 FLOP, four points per decade.
private let computeGrid = (0...40).map { Observation(compute: Foundation.pow(10, 15 + Double($0) / 4)) }

/// a, b, c0, then (c_i, d_i, f_i) per break: one steepening, one flattening, one steepening break.
private let truths: [Int: [Double]] = [
    1: [1.5, 40, 0.05, 0.3, 1e20, 0.5],
    2: [1.5, 40, 0.05, 0.3, 1e19, 0.5, -0.15, 1e23, 0.3],
    3: [1.5, 40, 0.05, 0.3, 3e17, 0.5, -0.15, 1e20, 0.3, 0.2, 1e23, 0.4],
]

/// Eq. 1 of Caballero et al. written out directly (no log space).
private func direct(_ theta: [Double], _ x: Double) -> Double {
    var y = theta[1] * Foundation.pow(x, -theta[2])
    for k in 0..<(theta.count - 3) / 3 {
        let (c, d, f) = (theta[3 + 3 * k], theta[4 + 3 * k], theta[5 + 3 * k])
        y *= Foundation.pow(1 + Foundation.pow(x / d, 1 / f), -c * f)
    }
    return theta[0] + y
}

private func law(_ breaks: Int) throws -> BrokenNeuralScalingLaw { try BrokenNeuralScalingLaw(breaks: breaks) }

@Suite("Broken neural scaling law")
struct BrokenPowerLawTests {
    @Test("Log-space evaluation equals eq. 1 written out", arguments: [1, 2, 3])
    func matchesEquation(breaks: Int) throws {
        let theta = truths[breaks]!
        let predicted = try law(breaks).makeEvaluator(for: [Run(name: "grid", observations: computeGrid)]).predict(theta)
        for (observation, value) in zip(computeGrid, predicted) {
            let expected = direct(theta, observation.compute!)
            #expect(abs(value - expected) <= 1e-12 * expected)
        }
    }

    @Test("No overflow where eq. 1 written out overflows: far past a sharp break y = a + b x^-(c0+c1) d1^c1")
    func noOverflow() throws {
        let theta = [0, 10, 0.05, 0.3, 1e20, 0.01]
        let x = 1e300
        // (x/d1)^(1/f1) = 1e28000 overflows, and the written-out form returns y = a = 0.
        #expect(direct(theta, x) == 0)
        let value = try law(1).makeEvaluator(for: [Run(name: "far", observations: [Observation(compute: x)])]).predict(theta)[0]
        let logTerm = Foundation.log(10.0) - 0.35 * Foundation.log(x) + 0.3 * Foundation.log(1e20)
        #expect(value > 0)
        #expect(abs(Foundation.log(value) - logTerm) <= 1e-12 * abs(logTerm))
    }

    @Test("Analytic Jacobian matches central differences", arguments: [1, 2, 3])
    func gradient(breaks: Int) throws {
        let evaluator = try law(breaks).makeEvaluator(for: [Run(name: "grid", observations: computeGrid)])
        var theta = truths[breaks]!
        theta[0] = 1.2
        theta[2] = 0.08
        #expect(jacobianError(evaluator, at: theta) < 1e-6)
    }

    @Test("Noise-free data: parameters recovered to 1e-6 relative from the default log-spaced start grid", arguments: [1, 2, 3])
    func recovery(breaks: Int) async throws {
        let law = try law(breaks)
        let truth = truths[breaks]!
        let result = try await LawFitter(law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared)))
            .fit(try syntheticRuns(law, truth: truth, points: computeGrid))
        for (j, name) in law.parameterSpace.names.enumerated() {
            #expect(abs(result.values[j] - truth[j]) <= 1e-6 * abs(truth[j]), "\(law.name) \(name): \(result.values[j]) vs \(truth[j])")
        }
    }

    @Test("0.5% noise: six seeded refits of bnsl-1 bracket the truth")
    func noisyRecovery() async throws {
        let law = try law(1)
        let truth = truths[1]!
        var estimates: [[Double]] = []
        for seed in 1...6 {
            let runs = try syntheticRuns(law, truth: truth, points: computeGrid, noise: 0.005, seed: UInt64(seed))
            estimates.append(try await LawFitter(law: law).fit(runs).values)
        }
        for (j, name) in law.parameterSpace.names.enumerated() {
            let (mean, deviation) = meanAndDeviation(estimates.map { $0[j] })
            #expect(abs(mean - truth[j]) <= 4 * deviation / 6.0.squareRoot(), "\(name): mean \(mean) +- \(deviation), truth \(truth[j])")
            print("bnsl-1, 0.5% noise, \(name): \(estimates.map { $0[j] })")
        }
    }

    @Test("Other x-axes: names, required input, and a non-positive step is an input error")
    func variables() throws {
        let steps = try BrokenNeuralScalingLaw(breaks: 2, variable: .step)
        #expect(steps.name == "bnsl-2-step")
        #expect(steps.requiredInputs == [.step])
        #expect(try BrokenNeuralScalingLaw(breaks: 1, variable: .parameters).requiredInputs == [.parameters])
        #expect(throws: LawfitError.self) {
            try steps.makeEvaluator(for: [Run(name: "curve", observations: [Observation(loss: 3, step: 0, line: 2)])])
        }
        #expect(throws: LawfitError.self) { try BrokenNeuralScalingLaw(breaks: 4) }
    }

    @Test("The plugin registers bnsl-1, bnsl-2, bnsl-3 along compute")
    func registration() throws {
        let registry = PluginRegistry()
        try BrokenPowerLawPlugin.register(into: registry)
        #expect(registry.laws.map(\.name) == ["bnsl-1", "bnsl-2", "bnsl-3"])
        #expect(registry.laws.allSatisfy { $0.requiredInputs == [.compute] })
        #expect(try registry.law(named: "bnsl-3").parameterSpace.count == 12)
    }
}
