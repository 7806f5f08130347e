import Foundation
import LawfitCore
import Testing

/// The penalties at hand-computed points on every piece, including between delta and 2 delta (where a
/// doubled threshold would still look quadratic) and at the seam.
@Suite("Residual penalties")
struct ResidualLossTests {
    @Test(
        "Huber(delta = 0.01) value and slope against scipy.special.huber's closed form",
        arguments: [
            // r, rho(r), rho'(r)
            (0.005, 1.25e-5, 0.005),
            (0.01, 5e-5, 0.01),  // the seam: both pieces give delta^2 / 2
            (0.015, 1e-4, 0.01),  // delta (1.5 delta - delta/2) = delta^2
            (-0.015, 1e-4, -0.01),
            (0.02, 1.5e-4, 0.01),  // 2 delta: 1.5 delta^2 (a doubled threshold gives 2 delta^2)
            (0.03, 2.5e-4, 0.01),
            (-0.5, 4.95e-3, -0.01),
        ])
    func huber(r: Double, value: Double, slope: Double) {
        let loss = ResidualLoss.huber(delta: 0.01)
        #expect(abs(loss.value(r) - value) <= 1e-15, "rho(\(r)) = \(loss.value(r)), expected \(value)")
        #expect(abs(loss.derivative(r) - slope) <= 1e-15, "rho'(\(r)) = \(loss.derivative(r)), expected \(slope)")
    }

    @Test("squared error: r^2 and 2 r")
    func squared() {
        for r in [-0.3, 0.0, 0.02, 1.5] {
            #expect(ResidualLoss.squared.value(r) == r * r)
            #expect(ResidualLoss.squared.derivative(r) == 2 * r)
        }
    }

    @Test("a NaN residual gives a NaN penalty (a fit never reads it as zero)")
    func nanPropagates() {
        #expect(ResidualLoss.huber(delta: 1e-3).value(.nan).isNaN)
        #expect(ResidualLoss.squared.value(.nan).isNaN)
    }
}
