import Foundation
import LawfitCore

/// Expected excess test loss of one-pass minibatch SGD on power-law random-feature regression
/// (N features, fresh data every step, batch B, any learning-rate schedule): the SGD theory of
/// Bordelon, Atanasov & Pehlevan ("A Dynamical Model of Neural Scaling Laws", ICML 2024, Sec. 5,
/// App. F; the reference `sgd_volterra` of `dmft_random_features.py`).
///
/// In intrinsic time tau = sum eta the loss solves the Volterra equation
///
///     E(tau) = F(tau) + (1/B) int_0^tau eta(tau') K(tau - tau') (E(tau') + sigma_perp^2 + sigma^2) dtau',
///
/// F the gradient-flow excess loss (P = infinity) and K(t) = tr[S^2 e^(-2 S t)]. Both are integrals
/// of exponentials against the spectral measures of S (``DMFTSpectralMeasure``), so the equation
/// splits into one linear recursion per measure node s_j, x_j(0) = muWeight_j,
///
///     continuum (the Volterra equation on the step grid, as `sgd_volterra` sums it):
///         x_j(k) = e^(-2 eta_k s_j) [x_j(k-1) + (eta_k^2 / B) kernelWeight_j L(k-1)],
///     discrete (exact one-pass SGD for Gaussian features, derived here: the diagonal of the error
///     covariance in S's eigenbasis closes, as in ``SGDPowerLawSimulator``):
///         x_j(k) = [(1 - eta_k s_j)^2 + eta_k^2 s_j^2 / B] x_j(k-1) + (eta_k^2 / B) kernelWeight_j L(k-1),
///
/// with L(k) = E(k) + sigma_perp^2 + sigma^2 and E(k) = frozen + sum_j 2 Re x_j(k). No kernel is
/// interpolated: F and K enter exactly at every step (mode sums for N = infinity, a contour
/// quadrature accurate to about 1e-10 for finite N), at O(nodes x steps) per curve instead of the
/// reference's O(steps^2). The continuum form is the small-eta limit of the discrete one.
public struct RandomFeatureSGDTheory: Sendable {
    /// How one SGD step acts on a mode.
    public enum Form: String, Sendable, Hashable, CaseIterable {
        /// e^(-2 eta s): the Volterra equation in intrinsic time (small-eta limit; the reference's).
        case continuum
        /// (1 - eta s)^2 + eta^2 s^2 / B: exact one-pass SGD with Gaussian features.
        case discrete
    }

    /// The loss a curve saturates at once SGD diverges (as ``FSLTheoryLaw`` does: no NaN, a huge residual).
    public static let divergedLoss = 1e100

    let sums: DMFTModeSums

    /// Task-power exponent a (> 1).
    public var a: Double { sums.a }
    /// Spectral exponent b (> 1).
    public var b: Double { sums.b }

    /// The theory for lambda_k = k^-b, lambda_k w*_k^2 = k^-a over `modes` modes (nil: infinitely many).
    ///
    /// - Throws: ``LawfitError`` (input) unless a > 1, b > 1 and modes >= 2.
    public init(a: Double, b: Double, modes: Int? = nil) throws {
        guard a.isFinite, a > 1 else { throw LawfitError.input("DMFT SGD law: parameter a must be > 1, got \(a)") }
        guard b.isFinite, b > 1 else { throw LawfitError.input("DMFT SGD law: parameter b must be > 1, got \(b)") }
        if let modes, modes < 2 { throw LawfitError.input("DMFT SGD law: modes must be at least 2, got \(modes)") }
        sums = DMFTModeSums(a: a, b: b, modes: modes)
    }

    /// The gradient-flow excess loss at time t above sigma_perp^2, F(t) (P = infinity).
    public func gradientFlowLoss(time t: Double, features: Double?) throws -> Double {
        try DMFTSpectralMeasure(sums: sums, features: features).gradientFlowLoss(time: t)
    }

    /// The SGD noise kernel K(t) = tr[S^2 e^(-2 S t)].
    public func noiseKernel(time t: Double, features: Double?) throws -> Double {
        try DMFTSpectralMeasure(sums: sums, features: features).noiseKernel(time: t)
    }

    /// sigma_perp^2(N), the loss floor of N features (0 for N = infinity).
    public func unrepresentedPower(features: Double?) throws -> Double {
        try wrap { try sums.unrepresentedPower(features) }
    }

    /// Expected excess test loss E(k) (label noise not added back) after k updates, for each k in
    /// `steps` (sorted ascending, each in 0...rates.count - 1); update k uses eta_k = `rates[k]`
    /// (`rates[0]` is the rate before training and is not used), as ``SGDPowerLawSimulator``.
    ///
    /// - Throws: ``LawfitError`` (input) for a bad size, batch, noise, rate or step.
    public func expectedLoss(rates: [Double], features: Double?, batchSize: Double, noise: Double = 0,
                             form: Form = .discrete, steps: [Int]) throws -> [Double] {
        guard batchSize.isFinite, batchSize >= 1 else { throw LawfitError.input("DMFT SGD law: batch size must be >= 1, got \(batchSize)") }
        guard noise.isFinite, noise >= 0 else { throw LawfitError.input("DMFT SGD law: noise must be >= 0, got \(noise)") }
        guard rates.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw LawfitError.input("DMFT SGD law: learning rates must be finite and >= 0") }
        guard zip(steps, steps.dropFirst()).allSatisfy({ $0 <= $1 }), steps.allSatisfy({ $0 >= 0 && $0 < rates.count }) else {
            throw LawfitError.input("DMFT SGD law: steps must be sorted and within 0...\(rates.count - 1)")
        }
        let measure = try DMFTSpectralMeasure(sums: sums, features: features,
                                              stepFactor: Self.stepFactor(largestRate: rates.max() ?? 0, batchSize: batchSize, form: form))
        return Self.run(measure, rates: rates, scale: 1, batchSize: batchSize, noise: noise, form: form, steps: steps)
    }

    /// (1 + 1/B) eta for the largest rate of the discrete form (the contour's right end depends on
    /// it: ``DMFTSpectralMeasure/init(sums:features:stepFactor:)``); nil for the continuum form.
    static func stepFactor(largestRate: Double, batchSize: Double, form: Form) -> Double? {
        form == .discrete && largestRate > 0 ? (1 + 1 / batchSize) * largestRate : nil
    }

    /// A node sum below -``negativeTolerance`` times the loss at step 0 is no loss: the recursion
    /// gives NaN from there on (a contour that does not suit the rates; never seen since the
    /// contour follows them, but a wrong number must not pass silently).
    static let negativeTolerance = 1e-8

    /// The recursion over one run: excess loss at each of `steps` (sorted) for rates `scale * rates[k]`.
    ///
    /// A run diverges (that step and every later one saturate at ``divergedLoss``) when the loss passes
    /// ``divergedLoss`` or, in the discrete form, when (1 + 1/B) eta s_hi passes
    /// ``DMFTSpectralMeasure/stableStepFactor`` (the top direction of S no longer decays).
    static func run(_ m: DMFTSpectralMeasure, rates: [Double], scale: Double, batchSize: Double, noise: Double,
                    form: Form, steps: [Int]) -> [Double] {
        var output = [Double](repeating: divergedLoss, count: steps.count)
        guard let last = steps.last else { return output }
        let count = m.nodeReal.count
        let inverseBatch = 1 / batchSize
        var xr = m.lossReal, xi = m.lossImaginary
        var decay = form == .continuum ? ContinuumDecay(nodeReal: m.nodeReal, nodeImaginary: m.nodeImaginary) : nil
        let squareReal = (0..<count).map { m.nodeReal[$0] * m.nodeReal[$0] - m.nodeImaginary[$0] * m.nodeImaginary[$0] }
        let squareImaginary = (0..<count).map { 2 * m.nodeReal[$0] * m.nodeImaginary[$0] }
        var excess = m.frozen + 2 * xr.reduce(0, +)
        let floor = -negativeTolerance * (excess + m.unrepresented + noise)
        let stableRate = form == .discrete ? DMFTSpectralMeasure.stableStepFactor / ((1 + inverseBatch) * m.upperEdge) : .infinity
        // N = infinity: real nodes and weights, so the imaginary parts stay 0 and are skipped.
        let isReal = [m.nodeImaginary, m.lossImaginary, m.kernelImaginary].allSatisfy { $0.allSatisfy { $0 == 0 } }
        var next = 0
        var lastRate = -1.0
        for k in 0...last {
            if k > 0 {
                let eta = scale * rates[k]
                guard eta <= stableRate else { return output }  // diverged: the rest stay saturated
                let gain = eta * eta * inverseBatch * (excess + m.unrepresented + noise)
                if eta != lastRate { decay?.update(to: eta, from: lastRate) }
                lastRate = eta
                var total = 0.0
                xr.withUnsafeMutableBufferPointer { xr in
                    xi.withUnsafeMutableBufferPointer { xi in
                        m.kernelReal.withUnsafeBufferPointer { kr in
                            m.kernelImaginary.withUnsafeBufferPointer { ki in
                                if isReal {
                                    let q = eta * eta * (1 + inverseBatch), twoEta = 2 * eta
                                    m.nodeReal.withUnsafeBufferPointer { nr in
                                        if form == .discrete {
                                            for j in 0..<count {
                                                let s = nr[j]
                                                let r = (1 - twoEta * s + q * (s * s)) * xr[j] + gain * kr[j]
                                                xr[j] = r
                                                total += r
                                            }
                                        } else {
                                            decay!.real.withUnsafeBufferPointer { dr in
                                                for j in 0..<count {
                                                    let r = dr[j] * (xr[j] + gain * kr[j])
                                                    xr[j] = r
                                                    total += r
                                                }
                                            }
                                        }
                                    }
                                } else if form == .discrete {
                                    // (1 - eta s)^2 + eta^2 s^2 / B = 1 - 2 eta s + eta^2 (1 + 1/B) s^2.
                                    let q = eta * eta * (1 + inverseBatch), twoEta = 2 * eta
                                    squareReal.withUnsafeBufferPointer { sr in
                                        squareImaginary.withUnsafeBufferPointer { si in
                                            m.nodeReal.withUnsafeBufferPointer { nr in
                                                m.nodeImaginary.withUnsafeBufferPointer { ni in
                                                    for j in 0..<count {
                                                        let fr = 1 - twoEta * nr[j] + q * sr[j]
                                                        let fi = -twoEta * ni[j] + q * si[j]
                                                        let r = fr * xr[j] - fi * xi[j] + gain * kr[j]
                                                        let i = fr * xi[j] + fi * xr[j] + gain * ki[j]
                                                        xr[j] = r
                                                        xi[j] = i
                                                        total += r
                                                    }
                                                }
                                            }
                                        }
                                    }
                                } else {
                                    decay!.real.withUnsafeBufferPointer { dr in
                                        decay!.imaginary.withUnsafeBufferPointer { di in
                                            for j in 0..<count {
                                                let ur = xr[j] + gain * kr[j], ui = xi[j] + gain * ki[j]
                                                let r = dr[j] * ur - di[j] * ui
                                                xr[j] = r
                                                xi[j] = dr[j] * ui + di[j] * ur
                                                total += r
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                excess = m.frozen + 2 * total
                guard abs(excess) <= divergedLoss else { return output }  // diverged (or NaN): the rest stay saturated
                guard excess >= floor else {  // a cancelling node sum: no loss
                    for i in next..<steps.count { output[i] = .nan }
                    return output
                }
            }
            while next < steps.count, steps[next] == k {
                output[next] = excess + m.unrepresented
                next += 1
            }
        }
        return output
    }
}
