import Foundation
@testable import LawfitCore
import Testing
@testable import ChinchillaLaw

/// ``BoundedLaw`` (`lawfit fit --bound`) on Chinchilla: narrower boxes, clamped starts, the fit kept
/// inside, and the errors for bounds that cannot apply.
@Suite("Chinchilla with narrowed bounds")
struct BoundedLawTests {
    @Test("narrows the box, clamps and de-duplicates the start values, keeps the name and the log-space evaluator")
    func narrowsTheSpace() throws {
        let law = try BoundedLaw(ChinchillaLaw(), bounds: [("alpha", 0.2, 0.3), ("E", 1.5, .infinity)])
        let space = law.parameterSpace
        let alpha = space.parameters[try space.index(of: "alpha")]
        #expect(alpha.lowerBound == 0.2 && alpha.upperBound == 0.3)
        // Epoch's alpha starts 0, 0.5, 1, 1.5, 2 clamp to 0.2, 0.3, 0.3, 0.3, 0.3: two distinct.
        #expect(alpha.startValues == [0.2, 0.3])
        // E's starts e^-1 ... e^1 clamp to 1.5 below it: 1.5, e^0.5, e.
        let e = space.parameters[try space.index(of: "E")]
        #expect(e.lowerBound == 1.5 && e.startValues == [1.5, Foundation.exp(0.5), Foundation.exp(1)])
        #expect(space.defaultStartGrid.count == 6 * 6 * 3 * 2 * 5)
        #expect(law.name == "chinchilla")
        let evaluator = try law.makeEvaluator(for: try syntheticRuns(law: ChinchillaLaw(), truth: hoffmann))
        #expect(evaluator is any LogLossEvaluator)
    }

    @Test("a bound that excludes the truth pins the fit on it; one that includes it recovers the truth to 1e-6")
    func fitStaysInside() async throws {
        let runs = try syntheticRuns(law: ChinchillaLaw(), truth: hoffmann)
        // Every 15th start of the narrowed grid keeps the debug test fast.
        func fit(_ alpha: ClosedRange<Double>) async throws -> FitResult {
            let law = try BoundedLaw(ChinchillaLaw(), bounds: [("alpha", alpha.lowerBound, alpha.upperBound)])
            let starts = law.parameterSpace.defaultStartGrid.enumerated().filter { $0.offset % 15 == 0 }.map(\.element)
            return try await LawFitter(law: law, options: FitOptions(starts: .points(starts), workers: 1)).fit(runs)
        }
        let pinned = try await fit(0.2...0.3)
        #expect(pinned.values[3] == 0.3, "alpha \(pinned.values[3])")
        #expect(pinned.objective > 1e-8)
        #expect(pinned.warnings.contains("parameter alpha is at its upper bound 0.3"), "\(pinned.warnings)")
        let free = try await fit(0.3...0.4)
        for (fitted, expected) in zip(free.values, hoffmann) {
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(fitted) vs \(expected)")
        }
    }

    /// Capabilities are declared (``ScalingLaw/computeOptimal``, ``LawEvaluator/logLossEvaluator``),
    /// not found by `as?`: through the wrapper, `law as? any ComputeOptimalLaw` was nil (a0b08c4), so
    /// `lawfit optimal` and the compute-axis plot lost a bounded Chinchilla's allocation.
    @Test("a bounded Chinchilla keeps its compute-optimal allocation and log-space path, and fits to the same bits")
    func forwardsCapabilities() async throws {
        let law = ChinchillaLaw()
        // Bounds equal to the law's own: the same box, so the wrapper must change nothing.
        let own = law.parameterSpace.parameters.map { (name: $0.name, lower: $0.lowerBound, upper: $0.upperBound) }
        let bounded: any ScalingLaw = try BoundedLaw(law, bounds: own)

        let optimal = try #require(bounded.computeOptimal, "a bounded Chinchilla lost its compute-optimal allocation")
        let compute = 5.76e23
        let optimum = try optimal.computeOptimum(parameters: hoffmann, compute: compute)
        // Independent of the closed form: the budget is spent (6 N D = C) and the constrained gradient
        // vanishes (alpha A N^-alpha = beta B D^-beta, Hoffmann et al. 2022, App. D.2).
        let (a, b, alpha, beta) = (hoffmann[0], hoffmann[1], hoffmann[3], hoffmann[4])
        #expect(abs(6 * optimum.parameters * optimum.tokens / compute - 1) <= 1e-12)
        let marginalN = alpha * a * Foundation.pow(optimum.parameters, -alpha)
        let marginalD = beta * b * Foundation.pow(optimum.tokens, -beta)
        #expect(abs(marginalN / marginalD - 1) <= 1e-12, "\(marginalN) vs \(marginalD)")
        #expect(optimum == (try law.computeOptimum(parameters: hoffmann, compute: compute)))

        // The log-space path survives the wrapper, and the fit through it gives the same bits.
        let runs = try syntheticRuns(law: law, truth: hoffmann, noise: 0.04)
        #expect(try bounded.makeEvaluator(for: runs).logLossEvaluator != nil)
        let objective = try BoundObjective(
            evaluator: try bounded.makeEvaluator(for: runs), space: bounded.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), weights: nil, spec: ObjectiveSpec())
        #expect(objective.logLossEvaluator != nil, "the log-space objective of a bounded law left log space")
        let starts = law.parameterSpace.defaultStartGrid.enumerated().filter { $0.offset % 150 == 0 }.map(\.element)
        let options = FitOptions(starts: .points(starts), workers: 1)
        let direct = try await LawFitter(law: law, options: options).fit(runs)
        let wrapped = try await LawFitter(law: bounded, options: options).fit(runs)
        #expect(wrapped.objective.bitPattern == direct.objective.bitPattern, "\(wrapped.objective) vs \(direct.objective)")
        #expect(wrapped.values.map(\.bitPattern) == direct.values.map(\.bitPattern))
    }

    @Test("an unknown name, LOW >= HIGH (or NaN), or a bound wider than the law's own are input errors")
    func refusesBadBounds() {
        let cases: [([(name: String, lower: Double, upper: Double)], String)] = [
            ([("gamma", 0, 1)], "unknown parameter 'gamma'; the parameters are A, B, E, alpha, beta"),
            ([("alpha", 0.3, 0.3)], "the bound of 'alpha' must have LOW < HIGH, got 0.3:0.3"),
            ([("alpha", 0.5, 0.2)], "the bound of 'alpha' must have LOW < HIGH, got 0.5:0.2"),
            ([("alpha", .nan, 0.2)], "the bound of 'alpha' must have LOW < HIGH, got nan:0.2"),
            ([("beta", 0, 11)], "the bound 0.0:11.0 of 'beta' is wider than law 'chinchilla' allows (0.0:10.0); a bound can only narrow the law's own"),
        ]
        for (bounds, message) in cases {
            #expect(throws: LawfitError.input(message)) { try BoundedLaw(ChinchillaLaw(), bounds: bounds) }
        }
    }
}
