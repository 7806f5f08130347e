import Foundation
import LawfitCore
import Numerics

/// Exact test loss of linear random-feature regression with a power-law spectrum, trained by
/// gradient flow: the dynamical mean-field theory of Bordelon, Atanasov & Pehlevan ("A Dynamical
/// Model of Neural Scaling Laws", ICML 2024, Sec. 3 and App. D) in its Laplace-domain form, as in
/// Kramp, Lindner & Helias (arXiv 2602.23039) and the reference `dmft_random_features.py`.
///
/// Setting (LAWS.md §3): lambda_k = k^-b, lambda_k w*_k^2 = k^-a, N random features, P training
/// samples (either may be infinite), label-noise variance sigma^2, gradient-flow time t.
/// In the Laplace variable z the renormalised ridge kt(z) solves
///
///     z = kt (1 - D(kt)/N) (1 - D(kt)/P),        D(kt) = sum_k lambda_k / (lambda_k + kt),
///
/// solved by complex Newton iteration continued along the inversion contour (Euler predictor,
/// step halving on a branch jump). With kappa = kt (1 - D/N), g = U(kt) / (1 - D/N),
/// sigma_perp^2 = kt0 U(kt0) (D(kt0) = N), the two-time loss transform is
///
///     Q(z1, z2) = kappa1 kappa2 / (z1 z2) * [(g1 - g2)/(kappa2 - kappa1) - sigma_perp^2/(kappa1 kappa2)] / (1 - gamma)
///               + (sigma_perp^2 + sigma^2) V / (z1 z2) + sigma_perp^2 / (z1 z2),
///     gamma = (kappa1 D1 - kappa2 D2) / (P (kappa1 - kappa2)),  V = (kappa2 D2 - kappa1 D1) / (P (z2 - z1)),
///
/// and L(t) is its double inverse Laplace transform at t1 = t2 = t (fixed Talbot on two disjoint
/// contours). The returned loss is the excess test loss (label noise not added back).
public struct RandomFeatureDMFT: Sendable {
    /// Task-power exponent a (lambda_k w*_k^2 = k^-a), a > 1.
    public var a: Double { sums.a }
    /// Spectral exponent b (lambda_k = k^-b), b > 1.
    public var b: Double { sums.b }
    /// Number of modes (nil: infinite spectrum).
    public var modes: Int? { sums.modes }
    /// Talbot nodes per contour half (16 as in the reference).
    public let talbotNodes: Int

    let sums: DMFTModeSums
    private let contours: (FixedTalbot, FixedTalbot)

    /// Builds the mode tables for (a, b).
    ///
    /// - Parameters:
    ///   - modes: a finite spectrum k = 1...modes (the simulator's), or nil for infinitely many.
    ///   - talbotNodes: nodes per contour half for the Laplace inversion.
    /// - Throws: ``LawfitError`` (input) unless a > 1, b > 1 (and modes > 1).
    public init(a: Double, b: Double, modes: Int? = nil, talbotNodes: Int = 16) throws {
        guard a.isFinite, a > 1 else { throw LawfitError.input("DMFT law: parameter a must be > 1, got \(a)") }
        guard b.isFinite, b > 1 else { throw LawfitError.input("DMFT law: parameter b must be > 1, got \(b)") }
        if let modes, modes < 2 { throw LawfitError.input("DMFT law: modes must be at least 2, got \(modes)") }
        guard talbotNodes >= 4 else { throw LawfitError.input("DMFT law: talbotNodes must be at least 4") }
        sums = DMFTModeSums(a: a, b: b, modes: modes)
        self.talbotNodes = talbotNodes
        contours = (FixedTalbot(nodes: talbotNodes, shift: 1), FixedTalbot(nodes: talbotNodes, shift: 1.13))
    }

    /// Excess test loss at gradient-flow time t.
    ///
    /// - Parameters: features N and samples P (nil = infinite), noise = label-noise variance.
    /// - Throws: ``LawfitError`` for bad inputs or when the Newton continuation fails.
    public func loss(time t: Double, features: Double?, samples: Double?, noise: Double = 0) throws -> Double {
        try lossCurve(times: [t], features: features, samples: samples, noise: noise)[0]
    }

    /// Excess test loss at each time; the t-independent parts (sigma_perp^2, the t = infinity ridges,
    /// the mode tables) are computed once for the curve.
    public func lossCurve(times: [Double], features: Double?, samples: Double?, noise: Double = 0) throws -> [Double] {
        let setting = try Setting(self, features: features, samples: samples, noise: noise)
        return try times.map { t in
            guard t.isFinite, t > 0 else { throw LawfitError.input("DMFT law: time t must be positive and finite, got \(t)") }
            return try lossAt(t, setting)
        }
    }

    /// The t -> infinity loss (the ridgeless / minimum-norm interpolator): sigma_perp^2 P/(P - N)
    /// + sigma^2 N/(P - N) below the interpolation threshold N < P, +infinity at N = P (double
    /// descent), and the z -> 0 limit of the Laplace-domain loss above it (derived; matches the
    /// reference `static_loss`).
    public func staticLoss(features: Double?, samples: Double?, noise: Double = 0) throws -> Double {
        let s = try Setting(self, features: features, samples: samples, noise: noise)
        guard let p = samples else { return s.sperp }
        if let n = features, n < p { return s.sperp * p / (p - n) + noise * n / (p - n) }
        if let n = features, n == p { return .infinity }
        let ks = try sums.criticalRidge(p)
        let r = sums.real(ks)
        let iN = s.iN, iP = 1 / p
        let m = 1 - r.d * iN
        let kappa = ks * m
        let dkappa = m - ks * r.dd * iN
        let dg = r.du / m + r.u * r.dd * iN / (m * m)
        let dz = dkappa * (1 - r.d * iP) - kappa * r.dd * iP
        let dkd = dkappa * r.d + kappa * r.dd
        let nb = -dg / dkappa - s.sperp / (kappa * kappa)
        let gamma = iP * dkd / dkappa
        let v = iP * dkd / dz
        return kappa * kappa * nb / (1 - gamma) + (s.sperp + noise) * v + s.sperp
    }

    /// sigma_perp^2(N): the target power N random features cannot represent (loss at t, P = infinity).
    public func unrepresentedPower(features: Double?) throws -> Double {
        try wrap { try sums.unrepresentedPower(features) }
    }

    // MARK: - Laplace-domain solution

    /// The t-independent quantities of one (N, P, sigma^2).
    struct Setting {
        let iN: Double, iP: Double, noise: Double
        let sperp: Double
        /// kt0(min(N, P)): the real solution approaches it as z -> 0+ (0 when both are infinite).
        let floor: Double

        init(_ solver: RandomFeatureDMFT, features: Double?, samples: Double?, noise: Double) throws {
            for (name, v) in [("N", features), ("P", samples)] {
                if let v, !(v.isFinite && v > 0) {
                    throw LawfitError.input("DMFT law: \(name) must be positive and finite (or infinite), got \(v)")
                }
            }
            guard noise.isFinite, noise >= 0 else { throw LawfitError.input("DMFT law: noise must be >= 0, got \(noise)") }
            iN = features.map { 1 / $0 } ?? 0
            iP = samples.map { 1 / $0 } ?? 0
            self.noise = noise
            let nmin = [features, samples].compactMap { $0 }.min()
            // kt0(N) serves both sigma_perp^2 and, where N <= P, the floor: solve it once.
            let ridgeN = try features.map { n in try wrap { try solver.sums.criticalRidge(n) } }
            sperp = ridgeN.map { $0 * solver.sums.real($0).u } ?? 0
            floor = try nmin.map { n in n == features ? ridgeN! : try wrap { try solver.sums.criticalRidge(n) } } ?? 0
        }

        /// m = 1 - D(kt)/N at a solution kt(z) of z = kt m (1 - D/P).
        ///
        /// Where N <= P the solution approaches the ridge kt0 with D(kt0) = N as z -> 0, so 1 - D/N
        /// cancels catastrophically once |z| / kt0 nears the rounding error (late times, few
        /// features: t kt0 beyond ~1e13); the identity m = z / (kt (1 - D/P)) is exact at the
        /// solution and has no cancellation there. Where P < N the factor 1 - D/P is the small one
        /// and 1 - D/N is computed directly.
        func featureFactor(z: Complex<Double>, kt: Complex<Double>, d: Complex<Double>) -> Complex<Double> {
            guard iN > 0, iN >= iP else { return 1 - d.multiplied(by: iN) }
            return z / (kt * (1 - d.multiplied(by: iP)))
        }
    }

    /// The solution at one contour node.
    struct Node {
        var z: Complex<Double>
        var kt: Complex<Double>
        /// dF/dkt at the solution (F = kt (1 - D/N)(1 - D/P) - z), for the Euler predictor.
        var slope: Complex<Double>
    }

    /// Newton's method for kt(z) from `start`; nil when it does not converge.
    private func newton(_ z: Complex<Double>, from start: Complex<Double>, _ s: Setting, maxIterations: Int = 30) -> Node? {
        var kt = start
        for _ in 0..<maxIterations {
            let (d, dd) = sums.resolvent(kt)
            let fn = 1 - d.multiplied(by: s.iN), fp = 1 - d.multiplied(by: s.iP)
            let f = kt * fn * fp - z
            let slope = fn * fp - kt * dd * (fp.multiplied(by: s.iN) + fn.multiplied(by: s.iP))
            let step = f / slope
            kt = kt - step
            guard kt.isFinite else { return nil }
            if step.length <= 1e-13 * kt.length { return Node(z: z, kt: kt, slope: slope) }
        }
        return nil
    }

    /// The real node: the unique real kt above `floor` with kt (1 - D/N)(1 - D/P) = z > 0,
    /// by Newton safeguarded with bisection on a bracket.
    private func realNode(_ z: Double, _ s: Setting) throws -> Node {
        func h(_ kt: Double) -> (Double, Double) {
            let r = sums.real(kt)
            let fn = 1 - r.d * s.iN, fp = 1 - r.d * s.iP
            return (kt * fn * fp - z, fn * fp - kt * r.dd * (s.iN * fp + s.iP * fn))
        }
        var lo = s.floor, hi = z + 2 * s.floor
        while h(hi).0 < 0 { lo = hi; hi *= 2 }
        var x = hi
        for _ in 0..<200 {
            let (f, fd) = h(x)
            if f > 0 { hi = x } else { lo = x }
            var next = x - f / fd
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-14 * x {
                x = next
                break
            }
            x = next
        }
        guard let node = newton(Complex(z, 0), from: Complex(x, 0), s) else {
            throw LawfitError.fit("DMFT law: Newton failed at the real Laplace node z = \(z)")
        }
        return node
    }

    /// Continues the solution from `from` to z, halving the step while the corrector moves the
    /// predicted point by more than half the predicted step (a sign of a branch jump).
    private func advance(_ from: Node, to z: Complex<Double>, _ s: Setting, depth: Int = 0) throws -> Node {
        let guess = from.kt + (z - from.z) / from.slope
        if let node = newton(z, from: guess, s, maxIterations: 12) {
            let corrector = (node.kt - guess).length
            if corrector <= 0.5 * (guess - from.kt).length || corrector <= 1e-8 * node.kt.length {
                return node
            }
        }
        guard depth < 16 else {
            throw LawfitError.fit("DMFT law: Newton continuation failed near z = \(z) (a = \(a), b = \(b))")
        }
        let mid = try advance(from, to: (from.z + z).divided(by: 2), s, depth: depth + 1)
        return try advance(mid, to: z, s, depth: depth + 1)
    }

    /// (z, weight, D, kappa, g) on the full contour (upper half, then the conjugates).
    private func contour(_ talbot: FixedTalbot, _ t: Double, _ s: Setting) throws
        -> (z: [Complex<Double>], w: [Complex<Double>], d: [Complex<Double>], kappa: [Complex<Double>], g: [Complex<Double>])
    {
        let n = talbot.scaledNodes.count
        var zs: [Complex<Double>] = [], ws: [Complex<Double>] = []
        var ds: [Complex<Double>] = [], ks: [Complex<Double>] = [], gs: [Complex<Double>] = []
        zs.reserveCapacity(2 * n); ws.reserveCapacity(2 * n)
        ds.reserveCapacity(2 * n); ks.reserveCapacity(2 * n); gs.reserveCapacity(2 * n)
        var node = try realNode(talbot.scaledNodes[0].real / t, s)
        for j in 0..<n {
            if j > 0 { node = try advance(node, to: talbot.scaledNodes[j].divided(by: t), s) }
            let d = sums.resolvent(node.kt).d
            let m = s.featureFactor(z: node.z, kt: node.kt, d: d)
            zs.append(node.z); ws.append(talbot.scaledWeights[j].divided(by: t))
            ds.append(d); ks.append(node.kt * m); gs.append(sums.power(node.kt) / m)
        }
        for j in 1..<n {
            zs.append(zs[j].conjugate); ws.append(ws[j].conjugate)
            ds.append(ds[j].conjugate); ks.append(ks[j].conjugate); gs.append(gs[j].conjugate)
        }
        return (zs, ws, ds, ks, gs)
    }

    private func lossAt(_ t: Double, _ s: Setting) throws -> Double {
        let c1 = try contour(contours.0, t, s), c2 = try contour(contours.1, t, s)
        let sn = s.sperp + s.noise
        var total = Complex<Double>.zero
        for i in 0..<c1.z.count {
            var row = Complex<Double>.zero
            let z1 = c1.z[i], k1 = c1.kappa[i], g1 = c1.g[i], kd1 = k1 * c1.d[i]
            for j in 0..<c2.z.count {
                let z2 = c2.z[j], k2 = c2.kappa[j], kd2 = k2 * c2.d[j]
                let zz: Complex<Double> = z1 * z2
                let kk: Complex<Double> = k1 * k2
                let diff: Complex<Double> = (g1 - c2.g[j]) / (k2 - k1)
                let nb: Complex<Double> = diff - Complex(s.sperp) / kk
                var memory: Complex<Double> = kk * nb
                var fluctuation = Complex<Double>(s.sperp, 0)
                if s.iP > 0 {
                    let gamma: Complex<Double> = (kd1 - kd2).multiplied(by: s.iP) / (k1 - k2)
                    let v: Complex<Double> = (kd2 - kd1).multiplied(by: s.iP) / (z2 - z1)
                    memory = memory / (1 - gamma)
                    fluctuation = fluctuation + v.multiplied(by: sn)
                }
                let q: Complex<Double> = (memory + fluctuation) / zz
                row = row + c2.w[j] * q
            }
            total = total + c1.w[i] * row
        }
        guard total.real.isFinite else {
            throw LawfitError.fit("DMFT law: the Laplace inversion gave a non-finite loss at t = \(t)")
        }
        return total.real
    }
}

/// Maps the solver's internal failures to ``LawfitError``.
func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as DMFTError {
        throw LawfitError.input("DMFT law: \(error.description)")
    }
}
