import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import DMFTLaw

@Suite struct DMFTLawTests {
    /// A grid of (N, D) runs, one run per N.
    static func runs(sizes: [Double], tokens: [Double], unique: Double? = nil) -> [Run] {
        sizes.map { n in
            Run(name: "N=\(n)", observations: tokens.map { Observation(parameters: n, tokens: $0, uniqueTokens: unique) })
        }
    }

    @Test func registersExactAndSurrogateLaws() throws {
        let registry = PluginRegistry()
        try DMFTLawPlugin.register(into: registry)
        let exact = try registry.law(named: "dmft"), surrogate = try registry.law(named: "dmft-surrogate")
        #expect(exact.requiredInputs == [.parameters, .tokens])
        #expect(surrogate.parameterSpace.names == ["a", "b", "s", "E", "tau", "nu"])
        #expect(DMFTLaw(solver: .surrogate, time: .step, samples: .uniqueTokens).requiredInputs == [.step])
        #expect(DMFTLaw(solver: .surrogate, samples: .uniqueTokens).parameterSpace.names.last == "pi")
    }

    @Test func missingTokensIsAnInputError() throws {
        let runs = [Run(name: "r", observations: [Observation(loss: 3, parameters: 1e6, line: 7)], source: "log.csv")]
        #expect(throws: LawfitError.self) { try DMFTLaw(solver: .exact).makeEvaluator(for: runs) }
        do {
            _ = try DMFTLaw(solver: .exact).makeEvaluator(for: runs)
        } catch let error as LawfitError {
            #expect(error.kind == .input)
            #expect(error.description.contains("log.csv:7"))
        }
    }

    /// The exact law is E + s L_RF(tau D, nu N) with the solver's L_RF.
    @Test func exactLawWrapsTheSolver() throws {
        let runs = Self.runs(sizes: [1e6, 4e6], tokens: [1e7, 1e8, 1e9])
        let theta = [2.5, 1.5, 3.0, 1.7, 1e-5, 1e-4]
        let predictions = try DMFTLaw(solver: .exact).makeEvaluator(for: runs).predict(theta)
        let solver = try RandomFeatureDMFT(a: 2.5, b: 1.5)
        for (k, n) in [1e6, 4e6].enumerated() {
            for (j, d) in [1e7, 1e8, 1e9].enumerated() {
                let expected = 1.7 + 3 * (try solver.loss(time: 1e-5 * d, features: 1e-4 * n, samples: nil))
                #expect(abs(predictions[3 * k + j] / expected - 1) < 1e-12)
            }
        }
    }

    /// The surrogate's evaluator Jacobian against central differences, in all three regimes of a - 1
    /// vs b, 2b and with finite P.
    @Test(arguments: [[2.2, 1.4], [4.3, 1.5], [8.0, 2.2]])
    func surrogateJacobianMatchesFiniteDifferences(exponents: [Double]) throws {
        let law = DMFTLaw(solver: .surrogate, samples: .uniqueTokens)
        let runs = Self.runs(sizes: [1e6, 1e8], tokens: [1e8, 1e10], unique: 3e9)
        let evaluator = try law.makeEvaluator(for: runs)
        let theta = exponents + [2.0, 1.5, 1e-6, 1e-3, 1e-7]
        #expect(evaluator.hasAnalyticGradient)
        let (predictions, analytic) = evaluator.predictWithJacobian(theta)
        // Central differences with relative steps (the scales are ~1e-6, so absolute steps would drown in rounding).
        let numericJacobian = relativeStepJacobian(evaluator, at: theta, step: 1e-5)
        for j in theta.indices {
            for i in predictions.indices {
                let numeric = numericJacobian[i * theta.count + j], x = analytic[i * theta.count + j]
                #expect(abs(x - numeric) <= 1e-5 * abs(numeric) + 1e-10 * predictions[i] / abs(theta[j]),
                        "row \(i), column \(j): \(x) vs \(numeric)")
            }
        }
    }

    /// Compute-optimal slopes d ln N*/d ln C and d ln L*/d ln C at large C approach LAWS.md §3's exponents.
    @Test(arguments: [[1.8, 1.5], [4.0, 1.5]])
    func computeOptimumFollowsTheExponents(exponents: [Double]) throws {
        let (a, b) = (exponents[0], exponents[1])
        let law = DMFTLaw(solver: .surrogate)
        let theta = [a, b, 1, 0, 1, 1]
        let c1 = 1e30, c2 = 1e32
        let o1 = try law.computeOptimum(parameters: theta, compute: c1), o2 = try law.computeOptimum(parameters: theta, compute: c2)
        let slopeN = Foundation.log(o2.parameters / o1.parameters) / Foundation.log(c2 / c1)
        let slopeL = -Foundation.log(o2.loss / o1.loss) / Foundation.log(c2 / c1)
        let expected = DMFTLaw.computeOptimalExponents(a: a, b: b)
        print("a=\(a) b=\(b): N* slope \(slopeN) (theory \(expected.parameters)), L* slope \(slopeL) (theory \(expected.loss))")
        #expect(abs(slopeN - expected.parameters) < 0.01)
        #expect(abs(slopeL - expected.loss) < 0.01)
        #expect(abs(o1.parameters * o1.tokens * 6 / c1 - 1) < 1e-9)
    }

    /// The exact law's compute optimum is a minimum of the exact loss along 6 N D = C.
    @Test func exactComputeOptimumIsAMinimum() throws {
        let law = DMFTLaw(solver: .exact)
        let theta = [2.5, 1.5, 2, 1.7, 1e-6, 1e-4]
        let compute = 1e21
        let optimum = try law.computeOptimum(parameters: theta, compute: compute)
        let solver = try RandomFeatureDMFT(a: 2.5, b: 1.5)
        func loss(_ n: Double) throws -> Double {
            1.7 + 2 * (try solver.loss(time: 1e-6 * compute / (6 * n), features: 1e-4 * n, samples: nil))
        }
        #expect(abs(optimum.loss / (try loss(optimum.parameters)) - 1) < 1e-12)
        #expect(try loss(optimum.parameters * 1.5) > optimum.loss)
        #expect(try loss(optimum.parameters / 1.5) > optimum.loss)
        #expect(abs(6 * optimum.parameters * optimum.tokens / compute - 1) < 1e-12)
        #expect(throws: LawfitError.self) { try DMFTLaw(solver: .exact, time: .step).computeOptimum(parameters: theta, compute: compute) }
    }
}
