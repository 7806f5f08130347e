import Foundation
import Testing
@testable import LawfitCore

@Suite("FastMath exp and log")
struct FittingFastMathTests {
    /// Relative difference in units of Double's epsilon.
    private func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / (abs(b) * Double.ulpOfOne) }

    @Test("exp agrees with libm to 4 ulp on [-708, 709], on a fine grid")
    func exp() {
        var worst = 0.0
        for k in 0...20_000 {
            let x = -708 + 1417 * Double(k) / 20_000
            let expected = Foundation.exp(x)
            worst = max(worst, ulps(FastMath.exp(x), expected))
            worst = max(worst, ulps(FastMath.exp(x * 1e-3), Foundation.exp(x * 1e-3)))
        }
        #expect(worst <= 4, "worst \(worst) ulp")
        #expect(FastMath.exp(0) == 1)
        #expect(FastMath.exp(-800) > 0 && FastMath.exp(-800) < 1e-307)
    }

    @Test("log agrees with libm to 4 ulp (absolute near 1) on positive normal numbers, on a fine grid")
    func log() {
        var worst = 0.0
        for k in 0...20_000 {
            let x = Foundation.exp(-700 + 1400 * Double(k) / 20_000) * (1 + 1e-3 * Double(k % 7))
            let expected = Foundation.log(x)
            let error = abs(FastMath.log(x) - expected) / (max(abs(expected), 1) * Double.ulpOfOne)
            worst = max(worst, error)
            let nearOne = 1 + 1e-9 * Double(k)
            worst = max(worst, abs(FastMath.log(nearOne) - Foundation.log(nearOne)) / Double.ulpOfOne)
        }
        #expect(worst <= 4, "worst \(worst) ulp")
        #expect(FastMath.log(1) == 0)
    }
}
