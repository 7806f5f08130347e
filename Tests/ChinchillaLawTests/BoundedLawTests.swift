import Foundation
import LawfitCore
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
