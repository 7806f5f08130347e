import Foundation
import LossCurveSupport

/// I(q, u) = int_{x1}^{x2} x^-q exp(-2 u x^-beta) dx (q > 1, beta > 1, 0 < x1 < x2, u >= 0): the
/// continuum form of the power-law kernel's mode sums sum_j j^-q exp(-2 lambda_j u), lambda_j = j^-beta.
/// With a = (q - 1) / beta and y = 2 u x^-beta, I = (1/beta) (2u)^-a [gamma(a, y1) - gamma(a, y2)]
/// (lower incomplete gamma). Each end is taken as x^(1-q) y^-a gamma(a, y), by its series for
/// y < a + 1 and as Gamma(a) (2u)^-a - x^(1-q) y^-a Gamma(a, y) by the continued fraction beyond
/// (Numerical Recipes 6.2), so that (2u)^-a never multiplies a difference of large numbers and u = 0
/// gives int x^-q dx. Relative accuracy about 1e-14 (FSLTheoremLawTests: against a 1e6-point quadrature).
enum FSLPowerIntegral {
    static func integral(exponent q: Double, capacity beta: Double, from x1: Double, to x2: Double, time u: Double) -> Double {
        let a = (q - 1) / beta
        let lower = end(x1, a: a, q: q, beta: beta, u: u), upper = end(x2, a: a, q: q, beta: beta, u: u)
        var total = lower.value - upper.value
        let gammaTerms = lower.gammaTerms - upper.gammaTerms
        if gammaTerms != 0 { total += Double(gammaTerms) * tgamma(a) * pow(2 * u, -a) }
        return total / beta
    }

    /// x^(1-q) y^-a gamma(a, y) at y = 2 u x^-beta, as a value plus a count of Gamma(a) (2u)^-a terms.
    private static func end(_ x: Double, a: Double, q: Double, beta: Double, u: Double) -> (value: Double, gammaTerms: Int) {
        let y = 2 * u * pow(x, -beta), scale = pow(x, 1 - q)
        if y < a + 1 {
            // y^-a gamma(a, y) = e^-y sum_n y^n / (a (a+1) ... (a+n))
            var term = 1 / a, sum = term
            var n = 1.0
            while term > 1e-17 * sum {
                term *= y / (a + n)
                sum += term
                n += 1
            }
            return (scale * exp(-y) * sum, 0)
        }
        // y^-a Gamma(a, y) = e^-y / (y + 1 - a - 1 (1 - a) / (y + 3 - a - ...)), modified Lentz.
        return (-scale * exp(-y) * IncompleteGamma.upperContinuedFraction(a, y, terms: 300), 1)
    }
}
