import Foundation

/// The asymptotic power-law surrogate of the DMFT random-feature loss (LAWS.md §3; the reference
/// `asymptotic_law`), with every amplitude fixed by (a, b). Derived here (not read from the papers)
/// by Mellin asymptotics of the Laplace-domain theory of ``RandomFeatureDMFT`` and checked against
/// it (DMFTSurrogateTests). With alpha = (a-1)/b, C_b = (pi/b)/sin(pi/b) (D(kt) ~ C_b kt^(-1/b)):
///
///     L(t, N, P) = A_t t^-alpha + model(N) + data(P) + cross(t, N)
///     A_t      = Gamma(alpha) 2^-alpha / b                              (exact as t -> infinity)
///     k_N = (C_b/N)^b,  k_P = (C_b/P)^b
///     model(N) = k_N^alpha (pi/b)/sin(pi alpha) + k_N [zeta(a-b) - k_N zeta(a-2b) + k_N^2 zeta(a-3b)]   (t, P = infinity)
///     data(P)  = k_P^alpha Gamma(alpha) Gamma(2-alpha) + b k_P^2 [zeta(a-2b) - 2 k_P zeta(a-3b) + 3 k_P^2 zeta(a-4b)]
///     cross    = (C_b/N) [Gamma(1-alpha) Gamma(1+alpha)/b I(1/b+1-alpha) + zeta(a-b) I(1/b) - 2 zeta(a-2b) I(1/b-1)],
///                I(s) = (2t)^(s-1)/Gamma(s)       (first order in 1/N at P = infinity; a - 1 > b only)
///
/// Crossover (derived here): the time term is the mode sum sum_k k^-a e^(-2 t k^-b) = (1/b)(2t)^-alpha
/// Gamma(alpha) over all modes, but only the modes N features can represent (lambda_k > k_N) are
/// learned; cutting the integral there gives (1/b)(2t)^-alpha Gamma(alpha, u), u = 2 t k_N. Each
/// time and cross monomial t^-e is therefore multiplied by the regularised Q(e, u) (1 at N = infinity,
/// e^-u u^(e-1)/Gamma(e) past the crossover t^(1/b) ~ N), so they fade as the loss reaches model(N)
/// instead of adding to it (the additive form was +53 % at a = 1.5, b = 1.2, N = 5000, t = 500).
///
/// The leading term of model and data gives LAWS.md's exponents N^-min(a-1, b), P^-min(a-1, 2b); the
/// others are the next terms of the same expansion (zeta continued below 1). They keep each term
/// finite across the crossovers alpha = 1, 2, 3, where the poles cancel into logarithms; within 1e-4
/// of an integer alpha the surrogate interpolates linearly in alpha between alpha = m +- 1e-4
/// (error O(1e-8)). Valid for N, P >> C_b and t >> 1 (the expansions are in k_N, k_P and 1/t).
/// The cross term is the first order in 1/N of the P = infinity theory; it sets the compute frontier
/// when a - 1 > b. `nil` N or P means infinite.
struct DMFTSurrogate: Sendable {
    let a: Double
    let b: Double

    /// One term c t^-timeExponent N^-sizeExponent P^-sampleExponent of the surrogate.
    struct Monomial: Sendable {
        enum Group: Sendable { case time, model, data, cross }
        var group: Group
        var coefficient: Double
        var timeExponent = 0.0
        var sizeExponent = 0.0
        var sampleExponent = 0.0
    }

    /// Every term, with the crossover regularisation already applied.
    let monomials: [Monomial]

    private static let crossoverWidth = 1e-4

    init(a: Double, b: Double) {
        self.a = a
        self.b = b
        let alpha = (a - 1) / b, w = Self.crossoverWidth, m = alpha.rounded()
        if abs(alpha - m) < w {
            // Linear interpolation in alpha between the band edges (continuous, with the right slope).
            let upper = (alpha - (m - w)) / (2 * w)
            let low = Self.terms(a: 1 + (m - w) * b, b: b).map { var h = $0; h.coefficient *= 1 - upper; return h }
            let high = Self.terms(a: 1 + (m + w) * b, b: b).map { var h = $0; h.coefficient *= upper; return h }
            monomials = low + high
        } else {
            monomials = Self.terms(a: a, b: b)
        }
    }

    /// Loss at (t, N, P) (nil = infinite).
    func loss(time t: Double, features n: Double?, samples p: Double?) -> Double {
        lossWithSlopes(time: t, features: n, samples: p).value
    }

    /// Loss and its derivatives wrt ln t, ln N, ln P. Each group (time, model, data, cross) is
    /// clamped at zero: outside the asymptotic regime (N or P not >> C_b, t not >> 1) the truncated
    /// expansions can turn negative, and a negative loss contribution has no meaning.
    func lossWithSlopes(time t: Double, features n: Double?, samples p: Double?)
        -> (value: Double, dLogT: Double, dLogN: Double, dLogP: Double)
    {
        let lt = Foundation.log(t), ln = n.map(Foundation.log) ?? 0, lp = p.map(Foundation.log) ?? 0
        // The crossover variable u = 2 t k_N (0 at N = infinity).
        let u = n.map { 2 * t * Foundation.pow(Self.resolventConstant(b) / $0, b) } ?? 0
        // Per group: value, d/dln t, d/dln N, d/dln P.
        var groups = [[Double]](repeating: [0, 0, 0, 0], count: 4)
        for term in monomials {
            let g: Int
            switch term.group {
            case .time: g = 0
            case .model: if n == nil { continue }; g = 1
            case .data: if p == nil { continue }; g = 2
            case .cross: if n == nil { continue }; g = 3
            }
            let base = term.coefficient
                * Foundation.exp(-term.timeExponent * lt - term.sizeExponent * ln - term.sampleExponent * lp)
            // Time and cross terms fade once the N learnable modes are learned: x Q(e, u), whose
            // slope in ln u is -u^e e^-u / Gamma(e).
            var cut = 1.0, density = 0.0
            if (g == 0 || g == 3) && u > 0 {
                let e = term.timeExponent
                cut = SpecialFunctions.upperIncompleteGammaRatio(e, u)
                density = Foundation.exp(e * Foundation.log(u) - u - Foundation.lgamma(e))
            }
            let v = base * cut
            groups[g][0] += v
            groups[g][1] -= term.timeExponent * v + base * density
            groups[g][2] -= term.sizeExponent * v - b * base * density
            groups[g][3] -= term.sampleExponent * v
        }
        var total: (value: Double, dLogT: Double, dLogN: Double, dLogP: Double) = (0, 0, 0, 0)
        for group in groups where group[0] > 0 {
            total.value += group[0]
            total.dLogT += group[1]
            total.dLogN += group[2]
            total.dLogP += group[3]
        }
        return total
    }

    /// The value of one group alone at (t, N, P), without the crossover factor Q(e, 2 t k_N): the
    /// asymptotic term itself (for tests and diagnostics).
    func value(of group: Monomial.Group, time t: Double = 1, features n: Double = 1, samples p: Double = 1) -> Double {
        monomials.filter { $0.group == group }.reduce(0.0) { total, term in
            total + term.coefficient * Foundation.pow(t, -term.timeExponent) * Foundation.pow(n, -term.sizeExponent)
                * Foundation.pow(p, -term.sampleExponent)
        }
    }

    /// A_t t^-alpha: the loss at N = P = infinity.
    func timeTerm(_ t: Double) -> Double { value(of: .time, time: t) }
    /// sigma_perp^2(N): the loss at t = P = infinity.
    func modelTerm(_ n: Double) -> Double { value(of: .model, features: n) }
    /// The ridgeless loss at t = N = infinity.
    func dataTerm(_ p: Double) -> Double { value(of: .data, samples: p) }
    /// The 1/N correction of the time term (zero unless a - 1 > b).
    func crossTerm(_ t: Double, _ n: Double) -> Double { value(of: .cross, time: t, features: n) }

    /// The unregularised terms at (a, b).
    private static func terms(a: Double, b: Double) -> [Monomial] {
        let alpha = (a - 1) / b, c = resolventConstant(b)
        func zeta(_ s: Double) -> Double { SpecialFunctions.zeta(s).value }
        var terms = [Monomial(group: .time, coefficient: Foundation.exp(Foundation.lgamma(alpha) - alpha * Foundation.log(2.0)) / b,
                              timeExponent: alpha)]
        // model(N): k_N = (C_b/N)^b.
        terms.append(Monomial(group: .model, coefficient: Foundation.pow(c, a - 1) * (Double.pi / b) / Foundation.sin(Double.pi * alpha),
                              sizeExponent: a - 1))
        for j in 0..<3 {
            let sign = j % 2 == 0 ? 1.0 : -1.0
            terms.append(Monomial(group: .model, coefficient: sign * Foundation.pow(c, b * Double(j + 1)) * zeta(a - Double(j + 1) * b),
                                  sizeExponent: b * Double(j + 1)))
        }
        // data(P): k_P = (C_b/P)^b.
        terms.append(Monomial(group: .data, coefficient: Foundation.pow(c, a - 1) * Foundation.tgamma(alpha) * Foundation.tgamma(2 - alpha),
                              sampleExponent: a - 1))
        for j in 0..<3 {
            let sign = j % 2 == 0 ? 1.0 : -1.0
            terms.append(Monomial(group: .data, coefficient: sign * b * Double(j + 1) * Foundation.pow(c, b * Double(j + 2)) * zeta(a - Double(j + 2) * b),
                                  sampleExponent: b * Double(j + 2)))
        }
        // cross(t, N) = (C_b/N) sum K_i I(s_i), I(s) = (2t)^(s-1)/Gamma(s).
        if a - 1 > b {
            let pieces = [
                (Foundation.tgamma(1 - alpha) * Foundation.tgamma(1 + alpha) / b, 1 / b + 1 - alpha),
                (zeta(a - b), 1 / b),
                (-2 * zeta(a - 2 * b), 1 / b - 1),
            ]
            for (k, s) in pieces {
                terms.append(Monomial(group: .cross, coefficient: c * k * Foundation.pow(2, s - 1) / Foundation.tgamma(s),
                                      timeExponent: 1 - s, sizeExponent: 1))
            }
        }
        return terms
    }

    /// C_b = (pi/b)/sin(pi/b) = integral_0^infinity dk / (1 + k^b).
    static func resolventConstant(_ b: Double) -> Double { (Double.pi / b) / Foundation.sin(Double.pi / b) }

    /// Compute-optimal exponents at P = infinity with compute C = N t (LAWS.md §3):
    /// N* ~ C^parameters, L* ~ C^-loss.
    static func computeOptimalExponents(a: Double, b: Double) -> (parameters: Double, loss: Double) {
        a - 1 <= b ? (1 / (1 + b), (a - 1) / (1 + b)) : ((a - b) / a, (a - 1) / a)
    }
}
