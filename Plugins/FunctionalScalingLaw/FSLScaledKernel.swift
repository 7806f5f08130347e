import Foundation

/// The Functional Scaling Law's power-law kernel at a real-valued model size M: the M features a model
/// of that size learns, and the target power of the features it cannot (Li, Chen, Huang, Wang, Wu,
/// NeurIPS 2025, arXiv 2509.19189, Sec. 4: the model is linear in the first M features of
/// lambda_j = j^-beta, lambda_j theta*_j^2 = A j^-(1 + s beta), and the risk carries the approximation
/// error sum_{j > M} lambda_j theta*_j^2 ~ M^-(s beta) of Theorem 4.2).
///
/// With Gaussian features the unlearned features are independent of the learned ones, so for SGD their
/// target power acts exactly as extra label noise: the theory on M modes with noise
/// sigma^2 + ``tailPower`` is the exact expectation for the truncated model (derived; checked against
/// the simulator in FSLTheoryScalingTests). A real M interpolates between whole mode counts: modes
/// 1 ... floor(M) are whole, mode floor(M) + 1 enters with weight M - floor(M) (its target power and its
/// noise feedback both scaled), and the rest of its power joins the tail, so the loss is continuous in M
/// and equals the whole-mode theory at integer M.
struct FSLScaledKernel: Sendable {
    let capacity: Double
    let source: Double
    let amplitude: Double
    /// The model size M in modes (>= 1).
    let modes: Double

    /// Whole modes floor(M).
    var wholeModes: Int { Int(modes) }
    /// Weight of the partial mode floor(M) + 1.
    var partialWeight: Double { modes - Double(wholeModes) }
    /// Exponent p = 1 + s beta of the target power.
    var powerExponent: Double { 1 + source * capacity }

    /// Target power A j^-p of mode j.
    func targetPower(_ j: Int) -> Double { amplitude * pow(Double(j), -powerExponent) }

    /// Target power beyond M: A sum_{j > floor(M) + 1} j^-p plus the partial mode's unlearned share.
    var tailPower: Double {
        let next = wholeModes + 1
        return (1 - partialWeight) * targetPower(next) + amplitude * Self.powerTail(from: next + 1, exponent: powerExponent)
    }

    /// sum_{j >= n} j^-p for p > 1 and n >= 1: 32 terms summed, the rest by the Euler-Maclaurin
    /// formula from n + 32 (to the fifth derivative; zeta(2) and zeta(4) to 1e-14).
    static func powerTail(from n: Int, exponent p: Double) -> Double {
        var sum = 0.0
        for j in n..<(n + 32) { sum += pow(Double(j), -p) }
        let x = Double(n + 32)
        let f = pow(x, -p)
        sum += x * f / (p - 1) + f / 2 + p * f / (12 * x) - p * (p + 1) * (p + 2) * f / (720 * x * x * x)
            + p * (p + 1) * (p + 2) * (p + 3) * (p + 4) * f / (30240 * pow(x, 5))
        return sum
    }

    /// The functional on this kernel with label noise `noise`, batch B and kernel form: the M learned
    /// modes and noise sigma^2 + ``tailPower``.
    func theory(noise: Double, batchSize: Double, form: FSLTheory.KernelForm) -> FSLTheory {
        let count = wholeModes + (partialWeight > 0 ? 1 : 0)
        var lambdas = [Double](repeating: 0, count: count), powers = lambdas
        var weights = [Double](repeating: 1, count: count)
        for j in 1...count {
            lambdas[j - 1] = pow(Double(j), -capacity)
            powers[j - 1] = targetPower(j)
        }
        if partialWeight > 0 {
            powers[count - 1] *= partialWeight
            weights[count - 1] = partialWeight
        }
        return FSLTheory(eigenvalues: lambdas, targetPowers: powers, feedbackWeights: weights,
                         noise: noise + tailPower, batchSize: batchSize, form: form)
    }
}
