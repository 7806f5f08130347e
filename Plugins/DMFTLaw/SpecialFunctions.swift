import Foundation
import LossCurveSupport

/// Special functions for the DMFT surrogate's amplitudes and their derivatives.
enum SpecialFunctions {
    /// Digamma psi(x) = d ln Gamma / dx for x > 0: recurrence to x >= 8, then the asymptotic series
    /// (Abramowitz & Stegun 6.3.18).
    static func digamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 8 {
            result -= 1 / x
            x += 1
        }
        let inv2 = 1 / (x * x)
        let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 / 132))))
        return result + Foundation.log(x) - 0.5 / x - series
    }

    /// Bernoulli numbers B_2, B_4, ..., B_16 divided by (2j)!.
    private static let bernoulliOverFactorial: [Double] = [
        1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1_209_600, 1.0 / 47_900_160,
        -691.0 / 1_307_674_368_000, 1.0 / 74_724_249_600, -3617.0 / 10_670_622_842_880_000,
    ]

    /// Riemann zeta(s) and zeta'(s) for s > 1 by Euler-Maclaurin summation with 10 explicit terms
    /// (DLMF 25.2.9), differentiated term by term.
    static func zeta(_ s: Double) -> (value: Double, derivative: Double) {
        let n = 10.0
        var value = 0.0, derivative = 0.0
        for k in 1..<10 {
            let term = Foundation.pow(Double(k), -s)
            value += term
            derivative -= Foundation.log(Double(k)) * term
        }
        let ln = Foundation.log(n)
        let head = Foundation.pow(n, 1 - s)
        value += head / (s - 1) + 0.5 * Foundation.pow(n, -s)
        derivative += -ln * head / (s - 1) - head / ((s - 1) * (s - 1)) - 0.5 * ln * Foundation.pow(n, -s)
        // Tail: sum_j B_2j/(2j)! * s (s+1) ... (s+2j-2) * n^(-s-2j+1).
        var rising = s, risingDerivative = 1.0  // product and its s-derivative
        for (j, coefficient) in bernoulliOverFactorial.enumerated() {
            let power = Foundation.pow(n, -s - Double(2 * j + 1))
            value += coefficient * rising * power
            derivative += coefficient * (risingDerivative - ln * rising) * power
            // multiply by (s + 2j + 1)(s + 2j + 2)
            let f1 = s + Double(2 * j + 1), f2 = s + Double(2 * j + 2)
            risingDerivative = risingDerivative * f1 * f2 + rising * (f1 + f2)
            rising *= f1 * f2
        }
        return (value, derivative)
    }

    /// The regularised upper incomplete gamma function Q(s, x) = Gamma(s, x) / Gamma(s) for s > 0,
    /// x >= 0: the power series of P = 1 - Q for x < s + 1, else the continued fraction of Q by
    /// modified Lentz (Numerical Recipes 6.2, gser/gcf), to relative 1e-15.
    static func upperIncompleteGammaRatio(_ s: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let logPrefactor = s * Foundation.log(x) - x - Foundation.lgamma(s)
        if x < s + 1 {
            var term = 1 / s, sum = term, a = s
            for _ in 0..<500 {
                a += 1
                term *= x / a
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * Foundation.exp(logPrefactor))
        }
        return Foundation.exp(logPrefactor) * IncompleteGamma.upperContinuedFraction(s, x, terms: 500)
    }
}
