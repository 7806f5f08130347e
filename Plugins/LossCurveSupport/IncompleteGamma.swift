/// The incomplete gamma function's continued fraction, which the DMFT surrogate's regularised Q(s, x)
/// and the FSL theorem's power-law mode integrals both take beyond the series' range.
public enum IncompleteGamma {
    /// Gamma(a, y) e^y y^-a = 1 / (y + 1 - a - 1 (1 - a) / (y + 3 - a - 2 (2 - a) / (y + 5 - a - ...)))
    /// for y > 0, by the modified Lentz method (Numerical Recipes 6.2, gcf), to relative 1e-16 or
    /// `terms` terms (it converges fast for y >= a + 1, where callers use it).
    public static func upperContinuedFraction(_ a: Double, _ y: Double, terms: Int) -> Double {
        let tiny = 1e-300
        var b = y + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...terms {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
