import Foundation
import Optimization
import Testing
@testable import LawfitCore

/// L(N) = E + A N^-alpha: a small law with an analytic gradient, defined here so the fitting engine
/// is tested without any plugin.
private struct PowerLawInN: ScalingLaw {
    let name = "test-power"
    let summary = "E + A N^-alpha"
    let requiredInputs: Set<LawInput> = [.parameters]
    let parameterSpace = ParameterSpace([
        Parameter("E", "offset", bounds: 1e-6...100, transform: .log, starts: [0.5, 2]),
        Parameter("A", "scale", bounds: 1e-6...1e8, transform: .log, starts: [10, 1000]),
        Parameter("alpha", "exponent", bounds: 0...3, starts: [0.2, 0.8]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator { PowerLawInNEvaluator(runs) }
}

private func syntheticRuns(_ truth: [Double], noise: Double = 0) -> [Run] {
    var state: UInt64 = 42
    let observations = (0..<40).map { k -> Observation in
        let n = 1e6 * Foundation.pow(10, Double(k) / 8)
        var loss = truth[0] + truth[1] * Foundation.pow(n, -truth[2])
        state = state &* 6364136223846793005 &+ 1442695040888963407
        loss *= 1 + noise * (Double(state >> 11) / Double(1 << 53) - 0.5)
        return Observation(loss: loss, parameters: n, line: k + 2)
    }
    return [Run(name: "synthetic", observations: observations)]
}

@Suite("Fitting engine")
struct FittingTests {
    @Test("Huber and squared penalties match their definitions")
    func penalties() {
        let huber = ResidualLoss.huber(delta: 1e-3)
        #expect(huber.value(5e-4) == 0.5 * 5e-4 * 5e-4)
        #expect(abs(huber.value(-3e-3) - 1e-3 * (3e-3 - 0.5e-3)) < 1e-18)
        #expect(huber.derivative(-3e-3) == -1e-3)
        #expect(ResidualLoss.squared.value(0.2) == 0.2 * 0.2)
        #expect(ResidualLoss.squared.derivative(0.2) == 0.4)
    }

    @Test("Objective gradient matches central differences", arguments: [LossSpace.log, .linear])
    func objectiveGradient(space: LossSpace) throws {
        let law = PowerLawInN()
        let runs = syntheticRuns([1.7, 400, 0.34], noise: 0.05)
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), spec: ObjectiveSpec(loss: .squared, space: space))
        let f = objective.makeNLoptObjective()
        let u = law.parameterSpace.toInternal([1.5, 300, 0.3])
        var g = [0.0, 0, 0]
        _ = try u.withUnsafeBufferPointer { ub in try g.withUnsafeMutableBufferPointer { try f(ub, $0) } }
        for j in 0..<3 {
            var up = u, down = u
            let h = 1e-6
            up[j] += h
            down[j] -= h
            let fd = (try objective.value(atNatural: law.parameterSpace.toNatural(up))
                - objective.value(atNatural: law.parameterSpace.toNatural(down))) / (2 * h)
            #expect(abs(g[j] - fd) <= 1e-6 * max(abs(fd), 1e-8), "component \(j): \(g[j]) vs \(fd)")
        }
    }

    @Test("Noise-free data: parameters recovered to 1e-6 relative")
    func recovery() async throws {
        let truth = [1.69, 406.4, 0.339]
        let result = try await LawFitter(law: PowerLawInN(), options: FitOptions(objective: ObjectiveSpec(loss: .squared)))
            .fit(syntheticRuns(truth))
        for (fitted, expected) in zip(result.values, truth) {
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(fitted) vs \(expected)")
        }
        #expect(result.objective < 1e-20)
        #expect(result.converged)
        #expect(result.starts.count == 8)
        #expect(result.startsInBestBasin >= 1)
        #expect(result.report.contains("[[Parameters]]"))
    }

    @Test("Same seed, different worker counts: identical results")
    func determinism() async throws {
        let runs = syntheticRuns([1.69, 406.4, 0.339], noise: 0.02)
        var seen: [[Double]] = []
        for workers in [1, 2, 3] {
            let options = FitOptions(starts: .count(16), seed: 7, workers: workers)
            seen.append(try await LawFitter(law: PowerLawInN(), options: options).fit(runs).values)
        }
        #expect(seen[0] == seen[1] && seen[1] == seen[2])
    }

    @Test("A parameter pinned at its bound is flagged")
    func boundWarning() async throws {
        let result = try await LawFitter(law: CappedLaw(base: PowerLawInN(), index: 2, upperBound: 0.25, starts: [0.1, 0.2])).fit(syntheticRuns([1.69, 406.4, 0.339]))
        #expect(result.warnings.contains { $0.contains("alpha is at its upper bound") })
    }

    @Test("Global algorithm on an unbounded parameter is an input error naming it")
    func globalNeedsBounds() async throws {
        let options = FitOptions(algorithm: .crs2, polish: .lbfgs)
        await #expect(throws: LawfitError.self) {
            try await LawFitter(law: UnboundedLaw(), options: options).fit(syntheticRuns([1.69, 406.4, 0.339]))
        }
    }
}

/// The same law with E left unbounded above.
private struct UnboundedLaw: ScalingLaw {
    let base = PowerLawInN()
    var name: String { "unbounded" }
    var summary: String { base.summary }
    var requiredInputs: Set<LawInput> { base.requiredInputs }
    var parameterSpace: ParameterSpace {
        var space = base.parameterSpace
        space.parameters[0].upperBound = .infinity
        return space
    }
    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator { try base.makeEvaluator(for: runs) }
}
