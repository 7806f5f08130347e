import Foundation
import LawfitCore
import Testing
@testable import DMFTLaw

/// The surrogate's crossover factor Q(e, 2 t k_N) against the exact solver at P = infinity, and the
/// fit warnings where it stays biased (the full grid scan is in `lawfit-bench dmft`).
@Suite struct DMFTSurrogateCrossoverTests {
    /// Spot checks: the issue's +55 % case (a = 1.5, b = 1.2, N = 5000, t = 500; 4 % with the cut), deep
    /// in the time-limited regime, and past the crossover (model-limited); 5 % tolerance.
    @Test(arguments: [(1.5, 1.2, 5000.0, 500.0), (4.5, 2.5, 1e6, 1e6), (1.5, 1.2, 100.0, 1e6), (3.75, 1.6, 1e3, 1e6)])
    func surrogateIsWithinFivePercentOutsideTheBiasedRegion(a: Double, b: Double, n: Double, t: Double) throws {
        let exact = try RandomFeatureDMFT(a: a, b: b).loss(time: t, features: n, samples: nil)
        let surrogate = DMFTSurrogate(a: a, b: b).loss(time: t, features: n, samples: nil)
        print("a=\(a) b=\(b) N=\(n) t=\(t): surrogate/exact - 1 = \(surrogate / exact - 1)")
        #expect(abs(surrogate / exact - 1) <= 0.05)
    }

    /// Q(s, x) against closed forms: Q(1, x) = e^-x, Q(1/2, x) = erfc(sqrt x), Q(2, x) = (1 + x) e^-x.
    @Test func incompleteGammaMatchesClosedForms() {
        for x in [0.01, 0.3, 1.0, 2.5, 7.0, 40.0] {
            #expect(abs(SpecialFunctions.upperIncompleteGammaRatio(1, x) / Foundation.exp(-x) - 1) < 1e-13)
            #expect(abs(SpecialFunctions.upperIncompleteGammaRatio(0.5, x) / Foundation.erfc(x.squareRoot()) - 1) < 1e-12)
            #expect(abs(SpecialFunctions.upperIncompleteGammaRatio(2, x) / ((1 + x) * Foundation.exp(-x)) - 1) < 1e-13)
        }
    }

    /// The surrogate's analytic ln t and ln N slopes (through the cut) against central differences.
    @Test func slopesIncludeTheCut() {
        let surrogate = DMFTSurrogate(a: 4.2, b: 1.7)
        let (t, n) = (3e4, 500.0)
        let v = surrogate.lossWithSlopes(time: t, features: n, samples: nil)
        let h = 1e-5
        let dt = (surrogate.loss(time: t * Foundation.exp(h), features: n, samples: nil)
            - surrogate.loss(time: t * Foundation.exp(-h), features: n, samples: nil)) / (2 * h)
        let dn = (surrogate.loss(time: t, features: n * Foundation.exp(h), samples: nil)
            - surrogate.loss(time: t, features: n * Foundation.exp(-h), samples: nil)) / (2 * h)
        #expect(abs(v.dLogT - dt) <= 1e-6 * abs(dt))
        #expect(abs(v.dLogN - dn) <= 1e-6 * abs(dn))
    }

    /// Points at theory time < 100 or before the crossover are counted in the fit's warnings; the exact
    /// law never warns.
    @Test func fitWarnsWhereTheSurrogateIsBiased() {
        let theta = [2.5, 2.0, 1, 0, 1, 1]  // t = D, N = params
        let run = Run(name: "r", observations: [
            Observation(parameters: 1e4, tokens: 10),  // early
            Observation(parameters: 1e4, tokens: 1e6),  // t^(1/2)/N = 0.1: crossover band
            Observation(parameters: 1e6, tokens: 1e4),  // t^(1/2)/N = 1e-4: fine
        ])
        let warnings = DMFTLaw(solver: .surrogate).fitWarnings(parameters: theta, runs: [run])
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("1 of 3 points sit at theory time") == true)
        #expect(warnings.last?.hasPrefix("1 of 3 points sit before the crossover") == true)
        #expect(DMFTLaw(solver: .exact).fitWarnings(parameters: theta, runs: [run]).isEmpty)
    }
}
