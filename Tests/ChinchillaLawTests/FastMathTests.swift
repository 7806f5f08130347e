import ChinchillaKernel
import Foundation
import Testing

/// The C kernel's inlined exp and log (Plugins/ChinchillaKernel/include/fast_math.h) against libm.
@Suite("Fast exp and log of the Chinchilla kernel")
struct FastMathTests {
    /// Relative difference in units of Double's epsilon.
    private func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / (abs(b) * Double.ulpOfOne) }

    @Test("exp agrees with libm to 4 ulp on [-708, 709], on a fine grid")
    func exp() {
        var worst = 0.0
        for k in 0...20_000 {
            let x = -708 + 1417 * Double(k) / 20_000
            let expected = Foundation.exp(x)
            worst = max(worst, ulps(lawfit_fast_exp(x), expected))
            worst = max(worst, ulps(lawfit_fast_exp(x * 1e-3), Foundation.exp(x * 1e-3)))
        }
        #expect(worst <= 4, "worst \(worst) ulp")
        #expect(lawfit_fast_exp(0) == 1)
        #expect(lawfit_fast_exp(-800) > 0 && lawfit_fast_exp(-800) < 1e-307)
    }

    @Test("log agrees with libm to 4 ulp (absolute near 1) on positive normal numbers, on a fine grid")
    func log() {
        var worst = 0.0
        for k in 0...20_000 {
            let x = Foundation.exp(-700 + 1400 * Double(k) / 20_000) * (1 + 1e-3 * Double(k % 7))
            let expected = Foundation.log(x)
            let error = abs(lawfit_fast_log(x) - expected) / (max(abs(expected), 1) * Double.ulpOfOne)
            worst = max(worst, error)
            let nearOne = 1 + 1e-9 * Double(k)
            worst = max(worst, abs(lawfit_fast_log(nearOne) - Foundation.log(nearOne)) / Double.ulpOfOne)
        }
        #expect(worst <= 4, "worst \(worst) ulp")
        #expect(lawfit_fast_log(1) == 0)
    }

    @Test("log is exact to 4 ulp at its reduction's seams: around sqrt(2) and powers of two, over the whole exponent range")
    func logSeams() {
        var worst = 0.0
        for exponent in stride(from: -1020, through: 1020, by: 5) {
            let scale = Foundation.pow(2.0, Double(exponent))
            for base in [1.0, 2.0.squareRoot(), 0.5.squareRoot()] {
                var x = base
                for _ in 0..<4 { x = x.nextDown }
                for _ in 0..<8 {
                    let value = x * scale
                    let expected = Foundation.log(value)
                    worst = max(worst, abs(lawfit_fast_log(value) - expected) / (max(abs(expected), 1) * Double.ulpOfOne))
                    x = x.nextUp
                }
            }
        }
        #expect(worst <= 4, "worst \(worst) ulp")
    }
}
