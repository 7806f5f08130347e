import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import TwoPhaseLaw

/// Compute from 1e17 to 1e23 FLOP, eight points per decade.
private let computeGrid = (0...48).map { Observation(compute: Foundation.pow(10, 17 + Double($0) / 8)) }

private let piecewise = TwoPhaseLaw(form: .piecewise, gamma: .free)
private let smooth = TwoPhaseLaw(form: .smooth, gamma: .free)
/// E, A, C0, C_th, gamma (C_th between grid points).
private let piecewiseTruth = [1.8, 2.5, 3e18, 1.155e19, 0.2]
/// E, A, C0, B, gamma.
private let smoothTruth = [1.8, 2.0, 1e18, 300, 1.0 / 7]

private func predictions(_ law: TwoPhaseLaw, _ theta: [Double], at compute: [Double]) throws -> [Double] {
    try law.makeEvaluator(for: [Run(name: "points", observations: compute.map { Observation(compute: $0) })]).predict(theta)
}

private func fit(_ law: TwoPhaseLaw, _ runs: [Run]) async throws -> FitResult {
    try await LawFitter(law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared))).fit(runs)
}

@Suite("Two-phase compute law")
struct TwoPhaseLawTests {
    @Test("Values match the reference forms (law_forms.py yang_two_phase, yang_smooth)")
    func referenceValues() throws {
        let compute = [1e17, 5e18, 1e19, 2e19, 1e21, 1e23]
        // python3 -c "import law_forms as lf, numpy as np; print(lf.yang_two_phase(np.array(C), 1.8, 2.5, 3e18, 1e19, 0.2))"
        // and lf.yang_smooth(C, 1.8, 2.0, 1e18, 300.0, 1/7), run in ../shared/reference.
        let expectedPiecewise = [4.218040251205014, 2.2721890070939046, 1.8891849833681311, 1.877640037508682, 1.8355051813845473, 1.814134867300991]
        let expectedSmooth = [4.727952952166402, 2.4529748289583235, 2.3793001185245, 2.3246035905993496, 2.1, 1.9553842403769364]
        for (x, y) in zip(try predictions(piecewise, [1.8, 2.5, 3e18, 1e19, 0.2], at: compute), expectedPiecewise) {
            #expect(abs(x - y) <= 1e-13 * y)
        }
        for (x, y) in zip(try predictions(smooth, smoothTruth, at: compute), expectedSmooth) {
            #expect(abs(x - y) <= 1e-13 * y)
        }
    }

    @Test("Piecewise law is continuous at C_th and its C_th derivative there is the mean of the one-sided ones")
    func continuity() throws {
        let threshold = piecewiseTruth[3]
        let values = try predictions(piecewise, piecewiseTruth, at: [threshold.nextDown, threshold, threshold.nextUp])
        #expect(abs(values[0] - values[2]) <= 1e-14 * values[1])
        #expect(abs(values[1] - values[2]) <= 1e-14 * values[1])
        // Far from the kink the two pieces differ: the value is not continuous by accident.
        let below = try predictions(piecewise, piecewiseTruth, at: [2 * threshold])[0]
        let (e, a, c0, gamma) = (piecewiseTruth[0], piecewiseTruth[1], piecewiseTruth[2], piecewiseTruth[4])
        #expect(abs(below - (e + a * Foundation.exp(-threshold / c0) * Foundation.pow(2, -gamma))) <= 1e-14 * below)
        #expect(abs(below - (e + a * Foundation.exp(-2 * threshold / c0))) > 1e-3)
        // At C = C_th exactly: d/dC_th is half the upper piece's derivative (the lower piece has none).
        let evaluator = try piecewise.makeEvaluator(for: [Run(name: "kink", observations: [Observation(compute: threshold)])])
        let (_, jacobian) = evaluator.predictWithJacobian(piecewiseTruth)
        let upper = a * Foundation.exp(-threshold / c0) * (gamma / threshold - 1 / c0)
        #expect(abs(jacobian[3] - 0.5 * upper) <= 1e-12 * abs(upper))
        #expect(jacobianError(evaluator, at: piecewiseTruth) < 1e-5)
    }

    @Test("Analytic Jacobian matches central differences", arguments: TwoPhaseLaw.Form.allCases)
    func gradient(form: TwoPhaseLaw.Form) throws {
        for gamma in TwoPhaseLaw.Gamma.allCases {
            let law = TwoPhaseLaw(form: form, gamma: gamma)
            var theta = form == .piecewise ? piecewiseTruth : smoothTruth
            if gamma != .free { theta.removeLast() }
            let evaluator = try law.makeEvaluator(for: [Run(name: "grid", observations: computeGrid)])
            #expect(evaluator.parameterCount == theta.count)
            #expect(jacobianError(evaluator, at: theta) < 1e-6, "\(law.name)")
        }
    }

    @Test("Noise-free data: parameters recovered to 1e-6 relative", arguments: [
        (TwoPhaseLaw(form: .piecewise, gamma: .free), piecewiseTruth),
        (TwoPhaseLaw(form: .smooth, gamma: .free), smoothTruth),
        (TwoPhaseLaw(form: .piecewise, gamma: .oneSeventh), [1.8, 2.5, 3e18, 1.155e19]),
        (TwoPhaseLaw(form: .smooth, gamma: .oneSixth), [1.8, 2.0, 1e18, 300]),
    ])
    func recovery(law: TwoPhaseLaw, truth: [Double]) async throws {
        let result = try await fit(law, try syntheticRuns(law, truth: truth, points: computeGrid))
        for (j, name) in law.parameterSpace.names.enumerated() {
            #expect(abs(result.values[j] - truth[j]) <= 1e-6 * truth[j], "\(law.name) \(name): \(result.values[j]) vs \(truth[j])")
        }
    }

    @Test("Model selection: on gamma = 1/7 data the 1/7 law fits, the 1/6 law does not, the free law finds 1/7")
    func gammaSelection() async throws {
        let truth = [1.0, 5, 3e18, 1.155e19, 1.0 / 7]
        let runs = try syntheticRuns(piecewise, truth: truth, points: computeGrid, noise: 1e-4, seed: 3)
        let free = try await fit(piecewise, runs)
        let sixth = try await fit(TwoPhaseLaw(form: .piecewise, gamma: .oneSixth), runs)
        let seventh = try await fit(TwoPhaseLaw(form: .piecewise, gamma: .oneSeventh), runs)
        #expect(abs(try free.value(of: "gamma") - 1.0 / 7) < 0.01)
        // 49 points with 0.01% noise: the right fixed exponent is as good as the free one (one fewer
        // parameter), the wrong one is clearly worse.
        #expect(seventh.objective < 1.1 * free.objective + 1e-12)
        #expect(sixth.objective > 3 * seventh.objective, "1/6: \(sixth.objective), 1/7: \(seventh.objective)")
        print("two-phase gamma selection, objectives: free \(free.objective) (gamma \(try free.value(of: "gamma"))), 1/6 \(sixth.objective), 1/7 \(seventh.objective)")
    }

    /// Limits from the problem, not from one random stream: each parameter's sampling standard error
    /// comes from the Fisher information at the truth (``linearizedStandardErrors``), the full fit must
    /// lie within 4.5 of them of the truth and the bootstrap interval's width within [0.25, 8] times
    /// the normal interval's. Measured over data seeds 1-8 (bootstrap seed = data seed + 100;
    /// `LAWFIT_TEST_SEEDS=1-8`): distances up to 3.37 (piecewise E; seed 1's gamma 0.103 against 0.2,
    /// which the old one-interval coverage check flagged, is 1.27 standard errors), widths 0.36-3.53 (piecewise gamma, the
    /// least identified); smooth: up to 2.43, widths 0.62-2.09.
    /// The width of a 40-resample percentile interval is nearly the range of the resamples, so it
    /// scatters widely; the band [0.25, 8] catches what matters (a bootstrap whose resamples do not
    /// differ, or run away), and 4.5 standard errors is a 1-in-100,000 event for a normal estimate.
    @Test("0.5% noise: fit within 4.5 standard errors of the truth, bootstrap widths match the Fisher information", arguments: [TwoPhaseLaw.Form.piecewise, .smooth])
    func noisyRecovery(form: TwoPhaseLaw.Form) async throws {
        let law = form == .piecewise ? piecewise : smooth
        let truth = form == .piecewise ? piecewiseTruth : smoothTruth
        let errors = try linearizedStandardErrors(law, truth: truth, points: computeGrid, noise: 0.005, loss: .squared)
        for seed in statisticalTestSeeds(fallback: 1) {
            let runs = try syntheticRuns(law, truth: truth, points: computeGrid, noise: 0.005, seed: seed)
            let (checks, failed) = try await bootstrapRecovery(
                law, truth: truth, runs: runs, fitOptions: FitOptions(objective: ObjectiveSpec(loss: .squared)), seed: seed + 100)
            #expect(failed == 0)
            let failures = linearizedFailures(
                checks, standardErrors: errors, maxDistance: 4.5, widthRatio: 0.25...8, label: "\(law.name), 0.5% noise, seed \(seed)")
            #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "; "))")
        }
    }

    @Test("Compute is read from 6ND when not logged; a missing compute is an input error")
    func inputs() throws {
        let fromND = try predictions(piecewise, piecewiseTruth, at: [6e18])[0]
        let evaluator = try piecewise.makeEvaluator(for: [Run(name: "nd", observations: [Observation(parameters: 1e9, tokens: 1e9)])])
        #expect(evaluator.predict(piecewiseTruth)[0] == fromND)
        #expect(throws: LawfitError.self) {
            try piecewise.makeEvaluator(for: [Run(name: "n only", observations: [Observation(parameters: 1e9)])])
        }
    }

    @Test("The plugin registers six laws")
    func registration() throws {
        let registry = PluginRegistry()
        try TwoPhaseLawPlugin.register(into: registry)
        #expect(registry.laws.map(\.name) == [
            "two-phase", "two-phase-gamma6", "two-phase-gamma7",
            "two-phase-smooth", "two-phase-smooth-gamma6", "two-phase-smooth-gamma7",
        ])
        #expect(try registry.law(named: "two-phase-gamma7").parameterSpace.names == ["E", "A", "C0", "C_th"])
    }
}
