import Foundation

/// lr-annealing's loss at every step by the momentum recursion of Tissue et al. (2024), Eq. 4, written
/// out step by step as independent truth: m_i = lambda m_(i-1) + (eta_(i-1) - eta_i), S1 = sum eta,
/// S2 = sum m, L = L0 + A S1^-alpha - C S2, with p = [L0, A, alpha, C, lambda]. Index 0 is unused.
func lrAnnealingByMomentumRecursion(_ p: [Double], rates eta: [Double]) -> [Double] {
    var m = 0.0, s1 = 0.0, s2 = 0.0
    var direct = [Double](repeating: 0, count: eta.count)
    for i in 1..<eta.count {
        m = p[4] * m + (eta[i - 1] - eta[i])
        s1 += eta[i]
        s2 += m
        direct[i] = p[0] + p[1] * pow(s1, -p[2]) - p[3] * s2
    }
    return direct
}
