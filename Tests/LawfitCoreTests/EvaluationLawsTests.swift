import Foundation
import Testing
@testable import LawfitCore

// Laws and synthetic data for the evaluation tests, defined here so the harness is tested without any
// plugin, plus a check that their analytic Jacobians are right.

/// L(N, D) = E + A N^-alpha + B D^-beta (the Chinchilla form, Hoffmann et al. 2022 eq. 2).
struct TestChinchillaLaw: ScalingLaw {
    var name = "test-chinchilla"
    let summary = "E + A N^-alpha + B D^-beta (test copy of the Chinchilla form)"
    let requiredInputs: Set<LawInput> = [.parameters, .tokens]
    let parameterSpace = ParameterSpace([
        Parameter("E", "irreducible loss", bounds: 1e-3...10, transform: .log, starts: [1, 2]),
        Parameter("A", "model-size scale", bounds: 1e-2...1e6, transform: .log, starts: [100, 1000]),
        Parameter("alpha", "model-size exponent", bounds: 0...2, starts: [0.2, 0.5]),
        Parameter("B", "data scale", bounds: 1e-2...1e6, transform: .log, starts: [100, 1000]),
        Parameter("beta", "data exponent", bounds: 0...2, starts: [0.2, 0.5]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        let points = runs.flatMap(\.observations)
        return Evaluator(logN: points.map { Foundation.log($0.parameters!) }, logD: points.map { Foundation.log($0.tokens!) })
    }

    struct Evaluator: LawEvaluator {
        let logN: [Double], logD: [Double]
        var count: Int { logN.count }
        var parameterCount: Int { 5 }
        var hasAnalyticGradient: Bool { true }
        func predict(_ t: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let n = count
            predictions = [Double](repeating: 0, count: n)
            var jac = jacobian != nil ? [Double](repeating: 0, count: 5 * n) : []
            for i in 0..<n {
                let a = Foundation.exp(-t[2] * logN[i]), b = Foundation.exp(-t[4] * logD[i])
                predictions[i] = t[0] + t[1] * a + t[3] * b
                if jacobian != nil {
                    jac.replaceSubrange((5 * i)..<(5 * i + 5), with: [1, a, -t[1] * logN[i] * a, b, -t[3] * logD[i] * b])
                }
            }
            if jacobian != nil { jacobian = jac }
        }
    }
}

/// The test Chinchilla law with its closed-form compute-optimal allocation (Hoffmann et al. 2022,
/// appendix D.2): N* = G (C/6)^(beta/(alpha+beta)), G = (alpha A / (beta B))^(1/(alpha+beta)), D* = C/(6 N*).
struct TestOptimalChinchillaLaw: ComputeOptimalLaw {
    let base = TestChinchillaLaw()
    var name: String { "test-optimal-chinchilla" }
    var summary: String { base.summary }
    var requiredInputs: Set<LawInput> { base.requiredInputs }
    var parameterSpace: ParameterSpace { base.parameterSpace }
    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator { try base.makeEvaluator(for: runs) }

    func computeOptimum(parameters t: [Double], compute: Double) throws -> ComputeOptimum {
        let g = Foundation.pow(t[2] * t[1] / (t[4] * t[3]), 1 / (t[2] + t[4]))
        let n = g * Foundation.pow(compute / 6, t[4] / (t[2] + t[4])), d = compute / (6 * n)
        let loss = t[0] + t[1] * Foundation.pow(n, -t[2]) + t[3] * Foundation.pow(d, -t[4])
        return ComputeOptimum(compute: compute, parameters: n, tokens: d, loss: loss)
    }
}

/// L(N) = E + A N^-alpha: ignores data size (the wrong law for (N, D) data with a D effect).
struct TestSizeOnlyLaw: ScalingLaw {
    let name = "test-size-only"
    let summary = "E + A N^-alpha (ignores D)"
    let requiredInputs: Set<LawInput> = [.parameters]
    let parameterSpace = ParameterSpace([
        Parameter("E", "offset", bounds: 1e-3...10, transform: .log, starts: [1, 2]),
        Parameter("A", "scale", bounds: 1e-2...1e6, transform: .log, starts: [100, 1000]),
        Parameter("alpha", "exponent", bounds: 0...2, starts: [0.2, 0.5]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(logX: runs.flatMap(\.observations).map { Foundation.log($0.parameters!) })
    }

    struct Evaluator: LawEvaluator {
        let logX: [Double]
        var count: Int { logX.count }
        var parameterCount: Int { 3 }
        var hasAnalyticGradient: Bool { true }
        func predict(_ t: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            predictions = logX.map { t[0] + t[1] * Foundation.exp(-t[2] * $0) }
            guard jacobian != nil else { return }
            jacobian = logX.flatMap { x -> [Double] in
                let e = Foundation.exp(-t[2] * x)
                return [1, e, -t[1] * x * e]
            }
        }
    }
}

/// L = a + b N, linear in its parameters: Laplace intervals must equal ordinary least squares.
struct TestLinearLaw: ScalingLaw {
    let name = "test-linear"
    let summary = "a + b N"
    let requiredInputs: Set<LawInput> = [.parameters]
    let parameterSpace = ParameterSpace([
        Parameter("a", "intercept", bounds: -100...100, starts: [0]),
        Parameter("b", "slope", bounds: -100...100, starts: [1]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(x: runs.flatMap(\.observations).map { $0.parameters! })
    }

    struct Evaluator: LawEvaluator {
        let x: [Double]
        var count: Int { x.count }
        var parameterCount: Int { 2 }
        var hasAnalyticGradient: Bool { true }
        func predict(_ t: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            predictions = x.map { t[0] + t[1] * $0 }
            if jacobian != nil { jacobian = x.flatMap { [1, $0] } }
        }
    }
}

/// L(step) = E + A step^-alpha: a loss-curve law (needs steps).
struct TestStepLaw: ScalingLaw {
    let name = "test-step"
    let summary = "E + A step^-alpha"
    let requiredInputs: Set<LawInput> = [.step]
    let parameterSpace = ParameterSpace([
        Parameter("E", "offset", bounds: 1e-3...10, transform: .log, starts: [1, 2]),
        Parameter("A", "scale", bounds: 1e-3...1e3, transform: .log, starts: [1, 10]),
        Parameter("alpha", "exponent", bounds: 0...2, starts: [0.3, 0.8]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        TestSizeOnlyLaw.Evaluator(logX: runs.flatMap(\.observations).map { Foundation.log(Double($0.step!)) })
    }
}

/// A law whose predictions are negative: every log-space fit fails.
struct TestBrokenLaw: ScalingLaw {
    let name = "test-broken"
    let summary = "always -1"
    let requiredInputs: Set<LawInput> = [.parameters]
    let parameterSpace = ParameterSpace([Parameter("c", "constant", bounds: 0...1, starts: [0.5])])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(count: runs.reduce(0) { $0 + $1.observations.count })
    }

    struct Evaluator: LawEvaluator {
        let count: Int
        var parameterCount: Int { 1 }
        var hasAnalyticGradient: Bool { false }
        func predict(_ t: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            predictions = [Double](repeating: -1 - t[0], count: count)
        }
    }
}

/// Chinchilla's published fit (Hoffmann et al. 2022): E, A, alpha, B, beta.
let chinchillaTruth = [1.69, 406.4, 0.34, 410.7, 0.28]

/// (N, D) data on an 8 x 6 grid from `truth` with multiplicative Gaussian noise of relative size
/// `noise` (seeded), one run per model size.
func syntheticNDRuns(truth: [Double] = chinchillaTruth, noise: Double = 0.01, seed: UInt64 = 11) -> [Run] {
    var generator = SplitMix64(seed: seed)
    func gaussian() -> Double {
        let u1 = (Double(generator.next() >> 11) + 0.5) / Double(1 << 53)
        let u2 = Double(generator.next() >> 11) / Double(1 << 53)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
    return (0..<8).map { i in
        let n = 1e7 * Foundation.pow(10, Double(i) / 2.5)
        let observations = (0..<6).map { j -> Observation in
            let d = n * 4 * Foundation.pow(3, Double(j))
            let loss = truth[0] + truth[1] * Foundation.pow(n, -truth[2]) + truth[3] * Foundation.pow(d, -truth[4])
            return Observation(loss: loss * (1 + noise * gaussian()), parameters: n, tokens: d, line: 2 + 6 * i + j)
        }
        return Run(name: "N\(i)", observations: observations)
    }
}

@Suite("Evaluation test laws")
struct EvaluationLawsTests {
    @Test("The test Chinchilla law's Jacobian matches central differences")
    func chinchillaJacobian() throws {
        let evaluator = try TestChinchillaLaw().makeEvaluator(for: syntheticNDRuns())
        let theta = [1.7, 400, 0.33, 420, 0.29]
        let (_, analytic) = evaluator.predictWithJacobian(theta)
        var predictions: [Double] = [], numeric: [Double] = []
        evaluator.finiteDifferenceJacobian(theta, into: &predictions, jacobian: &numeric)
        for (a, b) in zip(analytic, numeric) {
            #expect(abs(a - b) <= 1e-6 * max(abs(b), 1e-6), "\(a) vs \(b)")
        }
    }
}

/// `base` named "capped", with parameter `index` bounded above by `upperBound` (below its true value
/// in the tests) and started from `starts`: a law whose fit must end on that bound.
struct CappedLaw: ScalingLaw {
    let base: any ScalingLaw
    let index: Int
    let upperBound: Double
    let starts: [Double]
    var name: String { "capped" }
    var summary: String { base.summary }
    var requiredInputs: Set<LawInput> { base.requiredInputs }
    var parameterSpace: ParameterSpace {
        var space = base.parameterSpace
        space.parameters[index].upperBound = upperBound
        space.parameters[index].startValues = starts
        return space
    }
    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator { try base.makeEvaluator(for: runs) }
}
