import Foundation
import Numerics

/// Fixed-Talbot contour for numerical Laplace inversion (Abate & Valko 2004, Int. J. Numer. Meth.
/// Eng. 60, eq. 22-23): f(t) ~ sum_j w_j F(z_j) over the full contour.
///
/// The nodes scale as 1/t: z_j = zeta_j / t with weights c_j e^(z_j t) = omega_j / t, so zeta and
/// omega are computed once per (n, shift) and reused for every t. `shift` multiplies the contour
/// radius r = shift * 2n / (5t); two shifts give two disjoint contours for the double inversion.
struct FixedTalbot: Sendable {
    /// Upper-half nodes times t: the real node first, then theta_j = j pi / n, j = 1..n-1.
    let scaledNodes: [Complex<Double>]
    /// Weights c_j e^(z_j t) times t, same order; the lower half is the complex conjugate.
    let scaledWeights: [Complex<Double>]

    init(nodes n: Int, shift: Double) {
        let rt = shift * 2 * Double(n) / 5  // r t
        var z: [Complex<Double>] = [Complex(rt, 0)]
        var w: [Complex<Double>] = [Complex(rt / Double(n) * 0.5 * Foundation.exp(rt), 0)]
        for j in 1..<n {
            let theta = Double(j) * Double.pi / Double(n)
            let cot = 1 / Foundation.tan(theta)
            let node = Complex(rt * theta * cot, rt * theta)
            let sigma = theta + (theta * cot - 1) * cot
            let c = Complex(rt / Double(n) * 0.5, rt / Double(n) * 0.5 * sigma)
            z.append(node)
            w.append(c * Complex.exp(node))
        }
        scaledNodes = z
        scaledWeights = w
    }
}
