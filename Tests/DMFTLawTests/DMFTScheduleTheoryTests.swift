import Foundation
import LawfitSimulation
import Testing
@testable import DMFTLaw

/// The schedule-aware DMFT theory (``RandomFeatureSGDTheory``): its spectral measures against the
/// exact Laplace-domain solver, and the SGD loss against direct simulation of random-feature SGD.
@Suite struct DMFTScheduleTheoryTests {
    /// F(t) = int e^(-2 s t) dmu from the contour quadrature against the two-time Talbot inversion of
    /// ``RandomFeatureDMFT`` (independent code: different contour, different formula) minus sigma_perp^2.
    /// Measured: at most 4e-9 relative (N = 200, 1e4, 1e6; t = 0.1 ... 1000).
    @Test(arguments: [(2.2, 1.5, 200.0), (2.2, 1.5, 1e4), (3.0, 2.5, 1e6)])
    func gradientFlowMeasureMatchesExactSolver(a: Double, b: Double, features: Double) throws {
        let theory = try RandomFeatureSGDTheory(a: a, b: b)
        let exact = try RandomFeatureDMFT(a: a, b: b)
        let floor = try exact.unrepresentedPower(features: features)
        var worst = 0.0
        for t in [0.1, 1, 10, 100, 1000] {
            let expected = try exact.loss(time: t, features: features, samples: nil) - floor
            let value = try theory.gradientFlowLoss(time: t, features: features)
            let error = abs(value / expected - 1)
            worst = max(worst, error)
            #expect(error <= 1e-7, "a=\(a) b=\(b) N=\(features) t=\(t): \(value) vs \(expected)")
        }
        print("dmft-sgd measure: F(t) max relative error vs the exact solver \(worst) (N = \(features))")
    }

    /// N = infinity: the measures are the mode sums, so F(t) = sum_k k^-a e^(-2 k^-b t) and
    /// K(t) = sum_k k^-2b e^(-2 k^-b t), checked against direct sums over 10^6 modes plus the
    /// integral tail (a closed form independent of the node table), within 1e-9 relative.
    @Test func infiniteFeaturesAreModeSums() throws {
        let a = 2.2, b = 1.5
        let theory = try RandomFeatureSGDTheory(a: a, b: b)
        for t in [0.5, 5.0, 50.0] {
            var f = 0.0, k = 0.0
            for j in stride(from: 1_000_000, through: 1, by: -1) {
                let lambda = Foundation.pow(Double(j), -b)
                let decay = Foundation.exp(-2 * lambda * t)
                f += Foundation.pow(Double(j), -a) * decay
                k += lambda * lambda * decay
            }
            // Beyond 10^6 the decay is 1 - O(1e-9 t): integral from 10^6 + 1/2.
            f += Foundation.pow(1e6 + 0.5, 1 - a) / (a - 1)
            let fv = try theory.gradientFlowLoss(time: t, features: nil)
            let kv = try theory.noiseKernel(time: t, features: nil)
            #expect(abs(fv / f - 1) <= 1e-8, "F(\(t)): \(fv) vs \(f)")
            #expect(abs(kv / k - 1) <= 1e-8, "K(\(t)): \(kv) vs \(k)")
        }
    }

    /// As the rate goes to zero at fixed intrinsic time the exact discrete step and the Volterra
    /// (continuum) step converge. With B = 1 the per-step factors (1 - eta s)^2 + eta^2 s^2 and
    /// e^(-2 eta s) agree to second order, so the gap at tau = 10 is O(eta^2): it falls 4x when eta
    /// halves (measured 0.0300, 0.00730, 0.00181 at eta = 0.1, 0.05, 0.025).
    @Test func discreteAndContinuumFormsConvergeAtSmallRates() throws {
        let theory = try RandomFeatureSGDTheory(a: 2.2, b: 1.5)
        var gaps: [Double] = []
        for eta in [0.1, 0.05, 0.025] {
            let steps = Int((10 / eta).rounded())
            let rates = [Double](repeating: eta, count: steps + 1)
            let d = try theory.expectedLoss(rates: rates, features: 400, batchSize: 1, noise: 0.1, form: .discrete, steps: [steps])[0]
            let c = try theory.expectedLoss(rates: rates, features: 400, batchSize: 1, noise: 0.1, form: .continuum, steps: [steps])[0]
            gaps.append(abs(d / c - 1))
        }
        print("dmft-sgd discrete vs continuum gap at tau = 10, eta = 0.1, 0.05, 0.025: \(gaps)")
        #expect(gaps[1] / gaps[0] >= 0.2 && gaps[1] / gaps[0] <= 0.3, "\(gaps)")
        #expect(gaps[2] / gaps[1] >= 0.2 && gaps[2] / gaps[1] <= 0.3, "\(gaps)")
    }
}
