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

/// log(y - a) of eq. 1 in Float80 (64-bit significand), written independently in log space:
/// log b - c0 log x - sum_i c_i f_i log(1 + u_i), log u_i = (log x - log d_i)/f_i, with
/// log(1 + u) = log u + log1p(1/u) for u > 1.
private func extendedLogTerm(_ theta: [Double], _ x: Double) -> Float80 {
    let logX = Foundation.log(Float80(x))
    var total = Foundation.log(Float80(theta[1])) - Float80(theta[2]) * logX
    for k in 0..<(theta.count - 3) / 3 {
        let (c, d, f) = (Float80(theta[3 + 3 * k]), Float80(theta[4 + 3 * k]), Float80(theta[5 + 3 * k]))
        let logU = (logX - Foundation.log(d)) / f
        let logOnePlusU = logU > 0 ? logU + Foundation.log1p(Foundation.exp(-logU)) : Foundation.log1p(Foundation.exp(logU))
        total -= c * f * logOnePlusU
    }
    return total
}

/// The evaluator's documented form in Float80: a + e^L up to L = 600, a + e^600 (1 + L - 600) above.
private func extendedSaturated(_ theta: [Double], _ x: Double) -> Float80 {
    let logTerm = extendedLogTerm(theta, x)
    let term = logTerm <= 600 ? Foundation.exp(logTerm) : Foundation.exp(Float80(600)) * (1 + logTerm - 600)
    return Float80(theta[0]) + term
}

/// Samples of the law-guard test (Tests/LawfitCLITests/LawGuardTests.swift) where eq. 1 overflows:
/// b and d_i near the lower bound 1e-30, slope changes near -5, smooth (f_i ~ 100) or sharp breaks.
private let overflowCorners: [[Double]] = [
    [955.9760078961086, 6.523804231105026e+23, -1.4780233817303798, -4.900067647788118, 4.9500315223480395e-25, 93.51617172090866],
    [242.06076852289894, 5.295995851116426e+19, 0.41321292981326785, -3.558291455596063, 6.238759878138781e-30, 69.76794454769617,
     -1.8144241705180275, 1.1469105637931705e-07, 0.19677282920040978],
    [770.6464777877093, 6049587630577058.0, -1.3176978959409507, -2.3089772732912395, 0.000550237413023419, 0.0015495277293022637,
     -3.5399888993525854, 269383817459165.47, 0.0010209683048650086, -3.184823304145982, 5.244892367261408e-19, 0.00876522685498369],
]

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

    @Test("Where eq. 1 overflows: predictions and Jacobian finite, equal to eq. 1 (Float80, log space) below the saturation and to e^600 (1 + L - 600) above", arguments: [0, 1, 2])
    func saturation(corner: Int) throws {
        let theta = overflowCorners[corner]
        let points = computeGrid + [Observation(compute: 6e14), Observation(compute: 6e25)]
        let evaluator = try law(theta.count / 3 - 1).makeEvaluator(for: [Run(name: "corner", observations: points)])
        let (predicted, jacobian) = evaluator.predictWithJacobian(theta)
        #expect(predicted.allSatisfy(\.isFinite) && jacobian.allSatisfy(\.isFinite))
        var saturated = 0
        for (observation, value) in zip(points, predicted) {
            let x = observation.compute!
            if extendedLogTerm(theta, x) > 600 { saturated += 1 }
            let reference = extendedSaturated(theta, x)
            #expect(abs(Float80(value) - reference) <= 1e-12 * reference, "C = \(x): \(value) vs \(reference)")
        }
        // Eq. 1 overflows Double at this corner (the reason for the saturation).
        #expect(saturated > 0)
        // The Jacobian is the derivative of what is predicted: central differences of the Float80 form
        // with relative steps (b and d_i are near 1e-30), allowing for the difference's round-off
        // (1e-17 of the log term's parts, times the slope e^min(L, 600), over the step).
        let p = theta.count
        for j in 1..<p {
            let h = 1e-6 * abs(theta[j])
            var up = theta, down = theta
            up[j] += h
            down[j] -= h
            for (i, observation) in points.enumerated() {
                let x = observation.compute!
                let fd = Double((extendedSaturated(up, x) - extendedSaturated(down, x)) / Float80(2 * h))
                let logTerm = Double(extendedLogTerm(theta, x))
                let roundOff = 1e-17 * (abs(logTerm) + 2000) * Foundation.exp(min(logTerm, 600)) / h
                let analytic = jacobian[i * p + j]
                #expect(abs(analytic - fd) <= 1e-6 * max(abs(fd), abs(analytic)) + roundOff, "parameter \(j), C = \(x): \(analytic) vs \(fd)")
            }
        }
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

    /// Limits from the problem, not from one random stream: each parameter's sampling standard error
    /// comes from the Fisher information at the truth for the default Huber objective
    /// (``linearizedStandardErrors``); the full fit must lie within 4.5 of them of the truth and the
    /// bootstrap interval's width within [0.25, 8] times the normal interval's. Measured over data
    /// seeds 1-8 (bootstrap seed = data seed + 100; `LAWFIT_TEST_SEEDS=1-8`): distances up to 2.03,
    /// widths 0.43-2.29.
    /// The width of a 40-resample percentile interval is nearly the range of the resamples, so it
    /// scatters widely; the band [0.25, 8] catches what matters (a bootstrap whose resamples do not
    /// differ, or run away), and 4.5 standard errors is a 1-in-100,000 event for a normal estimate.
    @Test("0.5% noise: bnsl-1 fit within 4.5 standard errors of the truth, bootstrap widths match the Fisher information")
    func noisyRecovery() async throws {
        try await expectLinearizedRecovery(breaks: 1, noise: 0.005)
    }

    /// At 0.5 % noise the second break of `truths[2]` (a flattening by 0.15 two decades before the
    /// grid ends) is not identified: over 10 seeds the full fit put it elsewhere and the intervals
    /// of a, c2, d2 covered 7 of 10 times (warm starts plus 4 Halton starts; 5 of 15 with warm starts
    /// only). At 0.1 % noise it is, and the checks are those of bnsl-1. Measured over data seeds 1-8:
    /// distances up to 2.27, widths 0.47-4.82 (a: a few resamples that drop the points past the second
    /// break refit it elsewhere).
    @Test("0.1% noise: bnsl-2 fit within 4.5 standard errors of the truth, bootstrap widths match the Fisher information")
    func noisyRecoveryTwoBreaks() async throws {
        try await expectLinearizedRecovery(breaks: 2, noise: 0.001)
    }

    private func expectLinearizedRecovery(breaks: Int, noise: Double) async throws {
        let law = try law(breaks)
        let truth = truths[breaks]!
        let errors = try linearizedStandardErrors(law, truth: truth, points: computeGrid, noise: noise, loss: FitOptions().objective.loss)
        for seed in statisticalTestSeeds(fallback: 1) {
            let runs = try syntheticRuns(law, truth: truth, points: computeGrid, noise: noise, seed: seed)
            let (checks, failed) = try await bootstrapRecovery(law, truth: truth, runs: runs, seed: seed + 100)
            #expect(failed == 0)
            let failures = linearizedFailures(
                checks, standardErrors: errors, maxDistance: 4.5, widthRatio: 0.25...8, label: "\(law.name), \(noise) noise, seed \(seed)")
            #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "; "))")
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
