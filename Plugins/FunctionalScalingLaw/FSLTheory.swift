import Foundation
import LawfitCore

/// Theory mode of the Functional Scaling Law: the expected risk curve of one-pass minibatch SGD on
/// kernel regression, as a functional of the learning-rate schedule (Li, Chen, Huang, Wang, Wu,
/// NeurIPS 2025, arXiv 2509.19189, Theorem 4.2 and its finite-M form, LAWS.md Sec. 1).
///
/// In intrinsic time tau_t = sum_{i<=t} eta_i, with gamma_i = eta_i / B,
///
///     L(t) = sigma^2 + e_M(t) + sum_{i<=t} gamma_i eta_i K_M(t, i) L(i-1),
///
/// the Volterra (convolution) equation whose first-order (Born) expansion is the theorem's
/// e(t) + int K(t - z) (e(z) + sigma^2) gamma(z) dz. Two kernel forms:
///
/// - ``KernelForm/continuum`` (the paper's): e_M(t) = sum_j lambda_j theta*_j^2 exp(-2 lambda_j tau_t),
///   K_M(t, i) = sum_j lambda_j^2 exp(-2 lambda_j (tau_t - tau_i)). Accurate while eta lambda_1 is
///   small: within 1.4 % of exact SGD at peak rate 0.1 (capacity 1.5, source 0.5, M = 400, B = 4),
///   about 6 % off at 0.5, where (1 - eta lambda)^2 and exp(-2 eta lambda) differ for the top modes.
/// - ``KernelForm/discrete``: exp(-2 lambda_j eta_r) replaced by the per-step factor
///   (1 - eta_r lambda_j)^2 + eta_r^2 lambda_j^2 / B, products over the steps. The SGD second-moment
///   recursion couples modes only through L, so this Volterra equation is exact: it reproduces the
///   simulator to rounding.
///
/// Both kernels are sums of exponentials (products) over modes, so the equation is solved by a
/// per-mode state recursion in O(M) per step, O(M K) per curve, instead of O(M K^2).
public struct FSLTheory: Sendable {
    /// How the kernels e_M and K_M propagate a mode over one step of rate eta.
    public enum KernelForm: String, Sendable, CaseIterable {
        /// exp(-2 eta lambda): the paper's continuum (gradient-flow) kernel.
        case continuum
        /// (1 - eta lambda)^2 + eta^2 lambda^2 / B: exact for one-pass SGD.
        case discrete

        /// The per-step factor f(x) at x = eta lambda and x f'(x).
        @inline(__always)
        func factor(_ x: Double, inverseBatch: Double) -> (value: Double, slopeTimesX: Double) {
            switch self {
            case .continuum:
                let f = exp(-2 * x)
                return (f, -2 * x * f)
            case .discrete:
                let shrink = 1 - x
                return (shrink * shrink + x * x * inverseBatch, x * (-2 * shrink + 2 * x * inverseBatch))
            }
        }
    }

    // Swift's (internal) memberwise init builds a theory from checked per-mode arrays without
    // validation, for laws whose parameters are bounded (FSLScaledKernel); the public init checks.

    /// lambda_j for j = 1 ... M.
    public let eigenvalues: [Double]
    /// lambda_j theta*_j^2 for j = 1 ... M.
    public let targetPowers: [Double]
    /// Per-mode weight of the noise feedback (1 for a whole mode; a fraction for the partial last mode
    /// of a real-valued mode count, ``FSLScaledKernel``).
    let feedbackWeights: [Double]
    /// Noise variance sigma^2.
    public let noise: Double
    /// Batch size B.
    public let batchSize: Double
    /// The kernel form.
    public let form: KernelForm

    /// The predicted risk L(t) for every t in `0...schedule.totalSteps`.
    public func risk(schedule: DenseSchedule) -> [Double] { risk(rates: schedule.rates) }

    /// The predicted risk L(t) for t in `0..<rates.count`; update t uses `rates[t]`.
    public func risk(rates: [Double]) -> [Double] {
        let steps = max(rates.count - 1, 0)
        let m = eigenvalues.count, inverseBatch = 1 / batchSize, form = form
        var out = [Double](repeating: 0, count: steps + 1)
        var state = targetPowers
        var factor = [Double](repeating: 1, count: m), gain = [Double](repeating: 0, count: m)
        var loss = noise + state.reduce(0, +)
        out[0] = loss
        var lastRate = Double.nan
        for t in stride(from: 1, through: steps, by: 1) {
            let eta = rates[t]
            if eta != lastRate {  // the per-mode factors change only where the rate does
                for j in 0..<m {
                    let x = eta * eigenvalues[j]
                    factor[j] = form.factor(x, inverseBatch: inverseBatch).value
                    gain[j] = feedbackWeights[j] * x * x * inverseBatch
                }
                lastRate = eta
            }
            var next = noise
            for j in 0..<m {
                let value = factor[j] * state[j] + gain[j] * loss
                state[j] = value
                next += value
            }
            loss = next
            out[t] = loss
        }
        return out
    }
}

extension FSLTheory {
    /// The theory for a kernel (M = `kernel.modes`), noise sigma^2, batch size B and kernel form.
    ///
    /// - Throws: ``LawfitError`` (input) for a kernel without modes, a non-positive eigenvalue, a
    ///   negative target power, a negative noise or a batch size below 1.
    public init(kernel: any SpectralKernel, noise: Double, batchSize: Double, form: KernelForm = .continuum) throws {
        guard kernel.modes >= 1 else { throw LawfitError.input("fsl theory: kernel '\(kernel.spec)' has no modes") }
        guard noise >= 0, noise.isFinite else {
            throw LawfitError.input("fsl theory: noise (sigma^2) must be finite and >= 0, got \(noise)")
        }
        guard batchSize >= 1, batchSize.isFinite else {
            throw LawfitError.input("fsl theory: batch size must be at least 1, got \(batchSize)")
        }
        let lambdas = kernel.eigenvalues, powers = kernel.targetPowers
        for j in 0..<lambdas.count where !(lambdas[j] > 0 && lambdas[j].isFinite && powers[j] >= 0 && powers[j].isFinite) {
            throw LawfitError.input(
                "fsl theory: kernel '\(kernel.spec)' mode \(j + 1) has eigenvalue \(lambdas[j]) and target power \(powers[j]); they must be positive and finite")
        }
        self.init(eigenvalues: lambdas, targetPowers: powers, feedbackWeights: [Double](repeating: 1, count: lambdas.count),
                  noise: noise, batchSize: batchSize, form: form)
    }
}
