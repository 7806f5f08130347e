import Foundation
import LawfitCore
import Testing
import TestSupport
@testable import SparseFeatureLaw

/// N on 10^6..10^10 and D on 10^6..10^11 in half decades: both branches and the peak N = D.
private let gridPoints: [(n: Double, d: Double)] = (0...8).flatMap { i in
    (0...10).map { j in (Foundation.pow(10, 6 + 0.5 * Double(i)), Foundation.pow(10, 6 + 0.5 * Double(j))) }
}

private let freeLaw = SparseFeatureLaw(exponents: .free)
private let tiedLaw = SparseFeatureLaw(exponents: .tied)
/// E, A, alpha_u, B, alpha_o, delta.
private let freeTruth = [1.7, 300, 0.5, 50, 0.3, 0.3]
/// E, A, B, alpha, delta.
private let tiedTruth = [1.7, 300, 80, 0.5, 0.3]

private func fit(_ law: SparseFeatureLaw, _ runs: [Run]) async throws -> FitResult {
    try await LawFitter(law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared))).fit(runs)
}

@Suite("Sparse-feature asymmetric law")
struct SparseFeatureLawTests {
    @Test("Analytic Jacobian matches central differences", arguments: [SparseFeatureLaw.Exponents.free, .tied])
    func gradient(exponents: SparseFeatureLaw.Exponents) throws {
        let law = SparseFeatureLaw(exponents: exponents)
        let points = gridPoints + [(n: 1e8, d: 1e8), (n: 3e7, d: 1e9), (n: 2e9, d: 4e7)]
        let evaluator = try law.makeEvaluator(for: try syntheticRuns(law, truth: exponents == .free ? freeTruth : tiedTruth, points: points))
        let theta = exponents == .free ? [1.2, 150, 0.45, 90, 0.25, 0.07] : [1.2, 150, 90, 0.7, 0.07]
        #expect(jacobianError(evaluator, at: theta) < 1e-6)
    }

    @Test("Tied exponents: alpha_u = alpha, alpha_o = alpha/(1+alpha)")
    func tiedIsFreeWithTiedExponents() throws {
        let alpha = 0.5
        let freeEquivalent = [1.7, 300, alpha, 80, alpha / (1 + alpha), 0.3]
        let tied = try tiedLaw.makeEvaluator(for: try syntheticRuns(tiedLaw, truth: tiedTruth, points: gridPoints)).predict(tiedTruth)
        let free = try freeLaw.makeEvaluator(for: try syntheticRuns(freeLaw, truth: freeEquivalent, points: gridPoints)).predict(freeEquivalent)
        for (x, y) in zip(tied, free) { #expect(abs(x - y) <= 1e-14 * y) }
    }

    @Test("Value matches the formula written out")
    func closedForm() throws {
        // N = 2e7 < D = 5e8: E + (A N^-au + B D^-ao) D / sqrt((D - N)^2 + (delta D)^2).
        let (n, d) = (2e7, 5e8)
        let expected = 1.7 + (300 * Foundation.pow(n, -0.5) + 50 * Foundation.pow(d, -0.3)) * d / ((d - n) * (d - n) + 0.09 * d * d).squareRoot()
        let predicted = try freeLaw.makeEvaluator(for: try syntheticRuns(freeLaw, truth: freeTruth, points: [(n, d)])).predict(freeTruth)[0]
        #expect(abs(predicted - expected) <= 1e-14 * expected)
    }

    @Test("Peak at N = D(1 + delta^2), height at N = D E + (A D^-au + B D^-ao)/delta; continuous; descents on both sides")
    func peakAndBranches() throws {
        let truth = [1.7, 300, 0.5, 50, 0.3, 0.05]
        let d = 1e8
        let ns = (0...4000).map { d * Foundation.pow(10, -1 + 2 * Double($0) / 4000) }
        let losses = try freeLaw.makeEvaluator(for: try syntheticRuns(freeLaw, truth: truth, points: ns.map { ($0, d) })).predict(truth)
        // R = max(t, 1)/sqrt((t-1)^2 + delta^2) peaks at t = N/D = 1 + delta^2 (at 1.0025 here).
        let peak = losses.indices.max { losses[$0] < losses[$1] }!
        #expect(abs(ns[peak] / d - (1 + 0.05 * 0.05)) < 5e-4, "peak at N/D = \(ns[peak] / d)")
        let height = 1.7 + (300 * Foundation.pow(d, -0.5) + 50 * Foundation.pow(d, -0.3)) / 0.05
        #expect(abs(losses[2000] - height) <= 1e-12 * height)
        // Continuous at N = D: one ulp either side changes the loss by ~1e-16 relative.
        let around = try freeLaw.makeEvaluator(for: try syntheticRuns(freeLaw, truth: truth, points: [(d.nextDown, d), (d.nextUp, d)])).predict(truth)
        #expect(abs(around[0] - around[1]) <= 1e-12 * around[0])
        // Loss falls away from the peak on both sides (double descent).
        #expect(losses[0] < losses[1500] && losses[1500] < losses[2000])
        #expect(losses[4000] < losses[2500] && losses[2500] < losses[2000])
    }

    @Test("Branches: slope -alpha_u in N when under-parameterised, -alpha_o in D when over-parameterised")
    func branchExponents() throws {
        let truth = [1.7, 300, 0.5, 50, 0.3, 0.3]
        func logSlope(_ a: (Double, Double), _ b: (Double, Double), along x: (Double, Double)) throws -> Double {
            let l = try freeLaw.makeEvaluator(for: try syntheticRuns(freeLaw, truth: truth, points: [a, b])).predict(truth)
            return Foundation.log((l[1] - 1.7) / (l[0] - 1.7)) / Foundation.log(x.1 / x.0)
        }
        // Under: N << D, and D so large that the unseen-feature term is negligible.
        let under = try logSlope((1e4, 1e40), (1.1e4, 1e40), along: (1e4, 1.1e4))
        #expect(abs(under + 0.5) < 1e-6, "under-parameterised slope \(under)")
        // Over: N >> D, and N so large that the capacity term is negligible.
        let over = try logSlope((1e40, 1e4), (1e40, 1.1e4), along: (1e4, 1.1e4))
        #expect(abs(over + 0.3) < 1e-6, "over-parameterised slope \(over)")
    }

    @Test("Under-parameterised factor D/(D - N) equals the DMFT static ratio L(N, P)/sigma_perp^2(N) for N < P")
    func randomFeatureFactor() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let rows = try #require(reference["dmft_static"] as? [[String: Double]]).filter { $0["N"]! < $0["P"]! }
        #expect(rows.count == 6)
        for row in rows {
            let (a, b, n, p, loss) = (row["a"]!, row["b"]!, row["N"]!, row["P"]!, row["loss"]!)
            let ratio = loss / RandomFeatureStatic(a: a, b: b).nOnlyLoss(n)
            // The law with only the capacity term (B = 0, E = 0) and no regulariser (delta = 0).
            let theta = [0, 1, 0.7, 0, 0.3, 0]
            let law = try freeLaw.makeEvaluator(for: try syntheticRuns(freeLaw, truth: theta, points: [(n, p)])).predict(theta)[0]
            let factor = law / Foundation.pow(n, -0.7)
            #expect(abs(factor - p / (p - n)) <= 1e-14 * factor)
            #expect(abs(factor - ratio) <= 1e-9 * ratio, "a=\(a) N=\(n) P=\(p): law \(factor), DMFT \(ratio)")
        }
    }

    @Test("The sigma_perp^2 port matches the Python reference")
    func randomFeaturePort() {
        // python3 -c "import dmft_random_features as d; m = d.RFModes(A, 1.5); print(repr(d.static_loss(m, N, None)))"
        // run in ../shared/reference with numpy, for (A, N) below.
        let expected: [(a: Double, n: Double, loss: Double)] = [
            (1.8, 100, 0.10341505914674691), (1.8, 300, 0.043809203446313214),
            (2.5, 100, 0.016070191215736225), (4.0, 300, 0.0009657131840491619),
        ]
        for (a, n, loss) in expected {
            let ported = RandomFeatureStatic(a: a, b: 1.5).nOnlyLoss(n)
            #expect(abs(ported - loss) <= 1e-10 * loss, "a=\(a) N=\(n): \(ported) vs \(loss)")
        }
    }

    @Test("Noise-free data: parameters recovered to 1e-6 relative", arguments: [SparseFeatureLaw.Exponents.free, .tied])
    func recovery(exponents: SparseFeatureLaw.Exponents) async throws {
        let law = SparseFeatureLaw(exponents: exponents)
        let truth = exponents == .free ? freeTruth : tiedTruth
        let result = try await fit(law, try syntheticRuns(law, truth: truth, points: gridPoints))
        for (j, name) in law.parameterSpace.names.enumerated() {
            let (fitted, expected) = (result.values[j], truth[j])
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(name): \(fitted) vs \(expected)")
        }
    }

    /// Limits from the problem, not from one random stream: each parameter's sampling standard error
    /// comes from the Fisher information at the truth (``linearizedStandardErrors``); the full fit must
    /// lie within 4.5 of them of the truth and the bootstrap interval's width within [0.25, 8] times
    /// the normal interval's. Measured over data seeds 1-8 (bootstrap seed = data seed + 100;
    /// `LAWFIT_TEST_SEEDS=1-8`): distances up to 2.40 (free) and 2.47 (tied), widths 0.52-1.57.
    /// The width of a 40-resample percentile interval is nearly the range of the resamples, so it
    /// scatters widely; the band [0.25, 8] catches what matters (a bootstrap whose resamples do not
    /// differ, or run away), and 4.5 standard errors is a 1-in-100,000 event for a normal estimate.
    @Test("1% noise: fit within 4.5 standard errors of the truth, bootstrap widths match the Fisher information", arguments: [SparseFeatureLaw.Exponents.free, .tied])
    func noisyRecovery(exponents: SparseFeatureLaw.Exponents) async throws {
        let law = SparseFeatureLaw(exponents: exponents)
        let truth = exponents == .free ? freeTruth : tiedTruth
        let observations = gridPoints.map { Observation(parameters: $0.n, tokens: $0.d) }
        let errors = try linearizedStandardErrors(law, truth: truth, points: observations, noise: 0.01, loss: .squared)
        for seed in statisticalTestSeeds(fallback: 1) {
            let runs = try syntheticRuns(law, truth: truth, points: gridPoints, noise: 0.01, seed: seed)
            let (checks, failed) = try await bootstrapRecovery(
                law, truth: truth, runs: runs, fitOptions: FitOptions(objective: ObjectiveSpec(loss: .squared)), seed: seed + 100)
            #expect(failed == 0)
            let failures = linearizedFailures(
                checks, standardErrors: errors, maxDistance: 4.5, widthRatio: 0.25...8, label: "\(law.name), 1% noise, seed \(seed)")
            #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "; "))")
        }
    }

    @Test("Compute optimum agrees with a dense scan of log N", arguments: [1e18, 1e21, 1e24])
    func computeOptimum(budget: Double) throws {
        for (law, truth) in [(freeLaw, freeTruth), (tiedLaw, tiedTruth)] {
            let optimum = try law.computeOptimum(parameters: truth, compute: budget)
            #expect(abs(6 * optimum.parameters * optimum.tokens / budget - 1) < 1e-12)
            // The law written out independently, scanned on 200,001 points of log N in [0, log(C/6)].
            let (e, a, alphaU, b, alphaO, delta) = law.exponents == .free
                ? (truth[0], truth[1], truth[2], truth[3], truth[4], truth[5])
                : (truth[0], truth[1], truth[3], truth[2], truth[3] / (1 + truth[3]), truth[4])
            func loss(_ n: Double, _ d: Double) -> Double {
                e + (a * Foundation.pow(n, -alphaU) + b * Foundation.pow(d, -alphaO)) * max(n, d) / ((n - d) * (n - d) + delta * delta * d * d).squareRoot()
            }
            let upper = Foundation.log(budget / 6)
            let xs = (0...200_000).map { upper * Double($0) / 200_000 }
            let points = xs.map { (n: Foundation.exp($0), d: budget / 6 / Foundation.exp($0)) }
            let losses = points.map { loss($0.n, $0.d) }
            let best = losses.indices.min { losses[$0] < losses[$1] }!
            #expect(optimum.loss <= losses[best] * (1 + 1e-12), "\(law.name) at C=\(budget): \(optimum.loss) vs scan \(losses[best])")
            #expect(abs(Foundation.log(optimum.parameters) - xs[best]) <= 2 * upper / 200_000, "\(law.name) at C=\(budget): N* \(optimum.parameters) vs scan \(points[best].n)")
        }
    }

    @Test("Frontier favours data: N* ~ C^(1/(2+alpha)), D* ~ C^((1+alpha)/(2+alpha))")
    func frontierExponents() throws {
        /// Least-squares slopes of log N* and log D* against log C over budgets 10^first...10^(first+6).
        func exponents(from first: Double) throws -> (n: Double, d: Double) {
            let budgets = (0...6).map { Foundation.pow(10, first + Double($0)) }
            let optima = try budgets.map { try tiedLaw.computeOptimum(parameters: tiedTruth, compute: $0) }
            #expect(optima.allSatisfy { $0.tokens > 50 * $0.parameters })
            let xs = budgets.map { Foundation.log($0) }
            let mx = xs.reduce(0, +) / Double(xs.count)
            func slope(_ ys: [Double]) -> Double {
                let ls = ys.map { Foundation.log($0) }, my = ls.reduce(0, +) / Double(ls.count)
                return zip(xs, ls).map { ($0 - mx) * ($1 - my) }.reduce(0, +) / xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
            }
            return (slope(optima.map(\.parameters)), slope(optima.map(\.tokens)))
        }
        // alpha = 0.5: 1/(2+alpha) = 0.4 and (1+alpha)/(2+alpha) = 0.6, approached from the N side as
        // N*/D* -> 0 (the interpolation factor R -> 1 + N/D adds a shrinking correction).
        let early = try exponents(from: 20), late = try exponents(from: 26)
        for (n, d) in [early, late] {
            #expect(abs(n + d - 1) < 1e-9, "N* D* = C/6 forces the exponents to sum to 1")
            #expect(n > 0.4 && n < 0.41, "N* exponent \(n)")
            #expect(d > n + 0.18, "D* exponent \(d) vs N* exponent \(n)")
        }
        #expect(late.n - 0.4 < 0.5 * (early.n - 0.4), "exponents converge: \(early.n) then \(late.n)")
        #expect(abs(late.n - 0.4) < 2.5e-3 && abs(late.d - 0.6) < 2.5e-3)
    }

    @Test("Bad budgets and parameter counts are input errors")
    func badInput() {
        #expect(throws: LawfitError.self) { try tiedLaw.computeOptimum(parameters: tiedTruth, compute: -1) }
        #expect(throws: LawfitError.self) { try tiedLaw.computeOptimum(parameters: freeTruth, compute: 1e20) }
    }

    @Test("The plugin registers sparse-feature and sparse-feature-tied")
    func registration() throws {
        let registry = PluginRegistry()
        try SparseFeatureLawPlugin.register(into: registry)
        #expect(registry.laws.map(\.name) == ["sparse-feature", "sparse-feature-tied"])
        #expect(try registry.law(named: "sparse-feature-tied").parameterSpace.names == ["E", "A", "B", "alpha", "delta"])
    }
}
