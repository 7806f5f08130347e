import Foundation
import Testing
@testable import DMFTLaw

/// The asymptotic surrogate against the exact solver where one resource limits the loss.
@Suite struct DMFTSurrogateTests {
    @Test(arguments: [(1.8, 1.5), (2.5, 1.5), (4.0, 1.5), (3.0, 2.5), (5.5, 1.5), (1.2, 3.0)])
    func singleBottleneckTermsMatchTheExactSolver(a: Double, b: Double) throws {
        let exact = try RandomFeatureDMFT(a: a, b: b)
        let surrogate = DMFTSurrogate(a: a, b: b)
        // t large but with a loss of ~1e-4 or more: the Laplace inversion's absolute error is ~1e-10.
        let t = min(1e6, Foundation.pow(10, 4 * b / (a - 1))), n = 1e6, p = 1e6
        let timeLimited = try exact.loss(time: t, features: nil, samples: nil)
        let modelLimited = try exact.unrepresentedPower(features: n)
        let dataLimited = try exact.staticLoss(features: nil, samples: p)
        let ratios = [
            surrogate.loss(time: t, features: nil, samples: nil) / timeLimited,
            surrogate.modelTerm(n) / modelLimited,
            surrogate.dataTerm(p) / dataLimited,
        ]
        print("a=\(a) b=\(b): surrogate/exact time \(ratios[0]) model \(ratios[1]) data \(ratios[2])")
        for ratio in ratios { #expect(abs(ratio - 1) < 0.01) }
    }
}
