import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import DMFTLaw

/// Corners of the law-guard test (Tests/LawfitCLITests/LawGuardTests.swift) where the exact law gave NaN.
@Suite struct DMFTGuardTests {
    /// The guard's first failing sample: a, b, s, E, tau, nu.
    static let lateTimeCorner = [2.7303590660709656, 4.678617864439634, 2.476641478420589e-06, 17.945364097693414, 19846.86833672868, 5.944544340042757e-07]
    /// nu = 5.9e-14: 5.9e-8 features at N = 1e6, where an absolute difference step (1e-12) would make nu negative.
    static let tinyNuCorner = [1.7963043730054014, 4.855753693053204, 4.1090080398220605, 7.289541477998438, 0.0006015362458952995, 5.855805828391914e-14]

    /// Long after the loss has saturated (t kt0 up to 1e21, where 1 - D(kt)/N at the contour nodes is
    /// below the rounding error) the loss equals its t -> infinity limit sigma_perp^2(N) (the static
    /// loss at P = infinity, computed from the real ridge alone). Before the fix these gave a
    /// non-finite inversion (N = 0.59, t = 2e17; N = 10, t = 1e25) or -2.87 (N = 10, t = 1e20).
    @Test(arguments: [(0.5944544340042757, 1.984686833672868e12), (0.5944544340042757, 1.984686833672868e17), (10.0, 1e20), (10.0, 1e25)])
    func lateTimesReachTheStaticLoss(features: Double, time: Double) throws {
        let solver = try RandomFeatureDMFT(a: Self.lateTimeCorner[0], b: Self.lateTimeCorner[1])
        let loss = try solver.loss(time: time, features: features, samples: nil)
        let limit = try solver.staticLoss(features: features, samples: nil)
        #expect(abs(loss / limit - 1) < 1e-8, "N = \(features), t = \(time): \(loss) vs \(limit)")
    }

    /// The exact law's predictions and Jacobian at the guard's points are finite; the (N = 1e6, D = 1e13)
    /// point is at the static loss E + s sigma_perp^2.
    @Test(arguments: [0, 1])
    func exactLawIsFiniteAtTheCorners(corner: Int) throws {
        let theta = corner == 0 ? Self.lateTimeCorner : Self.tinyNuCorner
        let points = [(1e6, 1e8), (1e6, 1e13), (1e12, 1e8), (1e12, 1e13)].map { Observation(parameters: $0.0, tokens: $0.1) }
        let evaluator = try DMFTLaw(solver: .exact).makeEvaluator(for: [Run(name: "corner", observations: points)])
        let (predictions, jacobian) = evaluator.predictWithJacobian(theta)
        #expect(predictions.allSatisfy { $0.isFinite }, "\(predictions)")
        #expect(jacobian.allSatisfy { $0.isFinite }, "\(jacobian)")
        let sperp = try RandomFeatureDMFT(a: theta[0], b: theta[1]).staticLoss(features: theta[5] * 1e6, samples: nil)
        #expect(abs(predictions[1] / (theta[3] + theta[2] * sperp) - 1) < 1e-10)
    }

    /// The exact evaluator's Jacobian: exact in s and E, relative central differences elsewhere; checked
    /// against independent central differences of the predictions with a different relative step
    /// (4e-4), within 1e-4 plus both differences' round-off: the solver's relative accuracy on
    /// s L_RF = prediction - E (taken as 1e-9: where the loss hardly depends on a parameter, the
    /// differences show 4e-10) over the steps 1e-4 theta and 4e-4 theta.
    @Test func exactJacobianMatchesFiniteDifferences() throws {
        let runs = DMFTLawTests.runs(sizes: [1e6, 1e8], tokens: [1e8, 1e10])
        let evaluator = try DMFTLaw(solver: .exact).makeEvaluator(for: runs)
        let theta = [2.5, 1.5, 2.0, 1.5, 1e-6, 1e-3]
        #expect(evaluator.hasAnalyticGradient)
        let (predictions, analytic) = evaluator.predictWithJacobian(theta)
        let numericJacobian = relativeStepJacobian(evaluator, at: theta, step: 4e-4)
        for j in theta.indices {
            for i in predictions.indices {
                let numeric = numericJacobian[i * theta.count + j], x = analytic[i * theta.count + j]
                #expect(abs(x - numeric) <= 1e-4 * abs(numeric) + 1.25e-5 * (predictions[i] - theta[3]) / abs(theta[j]), "row \(i), column \(j): \(x) vs \(numeric)")
            }
        }
    }
}
