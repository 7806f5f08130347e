import Foundation
import LawfitCore

/// Direct simulation of linear random-feature regression trained by gradient flow: the setting of
/// the DMFT law (Bordelon, Atanasov & Pehlevan, ICML 2024, Sec. 2), used to validate it.
///
/// Data x in R^M with independent x_k ~ N(0, lambda_k), lambda_k = k^-b; target y = w* . x + eps with
/// lambda_k w*_k^2 = k^-a and eps ~ N(0, noise). Model f(x) = v . F x / sqrt(N) with a Gaussian
/// projection F (N x M, unit entries), trained from v = 0 by gradient flow on
/// (1/2P) sum_mu (f(x_mu) - y_mu)^2 over P samples. With G = F X^T / sqrt(N P) the solution is
/// v(t) = G phi_t(G^T G) y / sqrt(P) = phi_t(G G^T) G y / sqrt(P), phi_t(s) = (1 - e^(-s t)) / s,
/// evaluated through the eigendecomposition of the smaller Gram matrix. The excess test loss is
/// sum_k lambda_k (w_k(t) - w*_k)^2 with w = F^T v / sqrt(N) (label noise not added back).
public struct RandomFeatureRegression: Sendable {
    /// Task-power exponent a.
    public let a: Double
    /// Spectral exponent b.
    public let b: Double
    /// Number of data modes M.
    public let modes: Int
    /// Number of random features N.
    public let features: Int
    /// Number of training samples P.
    public let samples: Int
    /// Label-noise variance.
    public let noise: Double

    /// - Throws: ``LawfitError`` (input) for non-positive sizes or exponents, or M <= max(N, P).
    public init(a: Double, b: Double, modes: Int, features: Int, samples: Int, noise: Double = 0) throws {
        try PowerLawTask.checkExponents(a: a, b: b, in: "random-feature simulation")
        guard features > 0, samples > 0, modes > max(features, samples) else {
            throw LawfitError.input(
                "random-feature simulation: need N, P > 0 and modes M > max(N, P); got N = \(features), P = \(samples), M = \(modes)")
        }
        try PowerLawTask.checkNoise(noise, in: "random-feature simulation")
        self.a = a
        self.b = b
        self.modes = modes
        self.features = features
        self.samples = samples
        self.noise = noise
    }

    /// Excess test loss at each time (times > 0) for one seed.
    public func losses(times: [Double], seed: UInt64) -> [Double] {
        let n = features, p = samples, m = modes
        let lambda = PowerLawTask.eigenvalues(b: b, modes: m)
        let target = PowerLawTask.target(a: a, b: b, modes: m)
        var g = [Double](repeating: 0, count: n * p)
        var y = [Double](repeating: 0, count: p)
        var f = [Double](repeating: 0, count: n), x = [Double](repeating: 0, count: p)
        for k in 0..<m {
            Self.fillProjection(&f, seed: seed, mode: k)
            var rng = RandomFeatureRandom(seed: seed, stream: 2, index: UInt64(k))
            let scale = lambda[k].squareRoot()
            for mu in 0..<p { x[mu] = scale * rng.gaussian() }
            g.withUnsafeMutableBufferPointer { gp in
                for i in 0..<n {
                    let fi = f[i]
                    let row = i * p
                    for mu in 0..<p { gp[row + mu] += fi * x[mu] }
                }
            }
            for mu in 0..<p { y[mu] += target[k] * x[mu] }
        }
        if noise > 0 {
            var rng = RandomFeatureRandom(seed: seed, stream: 3, index: 0)
            for mu in 0..<p { y[mu] += noise.squareRoot() * rng.gaussian() }
        }
        let norm = 1 / Double(n * p).squareRoot()
        for i in 0..<(n * p) { g[i] *= norm }
        let weights = readoutWeights(g: g, y: y, times: times)
        // w_k(t) = F_k . v(t) / sqrt(N), regenerating each projection column.
        var result = [Double](repeating: 0, count: times.count)
        let rootN = Double(n).squareRoot()
        for k in 0..<m {
            Self.fillProjection(&f, seed: seed, mode: k)
            for (j, v) in weights.enumerated() {
                var w = 0.0
                for i in 0..<n { w += f[i] * v[i] }
                let error = w / rootN - target[k]
                result[j] += lambda[k] * error * error
            }
        }
        return result
    }

    /// The mean excess test loss over `seeds` independent draws of features and data.
    public func meanLosses(times: [Double], seeds: Range<UInt64>) -> [Double] {
        var total = [Double](repeating: 0, count: times.count)
        for seed in seeds {
            for (j, loss) in losses(times: times, seed: seed).enumerated() { total[j] += loss }
        }
        return total.map { $0 / Double(seeds.count) }
    }

    /// Column k of the projection F (N Gaussians), reproducible from (seed, k); shared with
    /// ``RandomFeatureSGDSimulator`` so that one seed draws the same features in both.
    static func fillProjection(_ f: inout [Double], seed: UInt64, mode k: Int) {
        var rng = RandomFeatureRandom(seed: seed, stream: 1, index: UInt64(k))
        for i in 0..<f.count { f[i] = rng.gaussian() }
    }

    /// v(t) at every time for G (N x P, row-major) and labels y, through the eigendecomposition of
    /// the smaller Gram matrix (computed once).
    private func readoutWeights(g: [Double], y: [Double], times: [Double]) -> [[Double]] {
        let n = features, p = samples
        let rootP = Double(p).squareRoot()
        func phi(_ s: Double, _ t: Double) -> Double { s * t < 1e-10 ? t : -Foundation.expm1(-s * t) / s }
        if p <= n {
            // v = G V phi(S) V^T y / sqrt(P).
            let eigen = gram(g, rows: n, columns: p, outer: false)
            let coefficients = (0..<p).map { r in (0..<p).reduce(0.0) { $0 + eigen.vectors[r * p + $1] * y[$1] } / rootP }
            return times.map { t in
                var h = [Double](repeating: 0, count: p)
                for r in 0..<p {
                    let c = coefficients[r] * phi(eigen.values[r], t)
                    for mu in 0..<p { h[mu] += c * eigen.vectors[r * p + mu] }
                }
                return (0..<n).map { i in (0..<p).reduce(0.0) { $0 + g[i * p + $1] * h[$1] } }
            }
        }
        // v = U phi(S) U^T G y / sqrt(P).
        let eigen = gram(g, rows: n, columns: p, outer: true)
        let rhs = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + g[i * p + $1] * y[$1] } / rootP }
        let coefficients = (0..<n).map { r in (0..<n).reduce(0.0) { $0 + eigen.vectors[r * n + $1] * rhs[$1] } }
        return times.map { t in
            var v = [Double](repeating: 0, count: n)
            for r in 0..<n {
                let c = coefficients[r] * phi(eigen.values[r], t)
                for i in 0..<n { v[i] += c * eigen.vectors[r * n + i] }
            }
            return v
        }
    }

    /// Eigendecomposition of G G^T (outer, N x N) or G^T G (P x P).
    private func gram(_ g: [Double], rows n: Int, columns p: Int, outer: Bool) -> SymmetricEigendecomposition {
        let dim = outer ? n : p
        var matrix = [Double](repeating: 0, count: dim * dim)
        g.withUnsafeBufferPointer { gp in
            matrix.withUnsafeMutableBufferPointer { mp in
                if outer {
                    for i in 0..<n {
                        for j in i..<n {
                            var s = 0.0
                            for mu in 0..<p { s += gp[i * p + mu] * gp[j * p + mu] }
                            mp[i * n + j] = s
                            mp[j * n + i] = s
                        }
                    }
                } else {
                    for i in 0..<n {
                        let row = i * p
                        for mu in 0..<p {
                            let gm = gp[row + mu]
                            for nu in mu..<p { mp[mu * p + nu] += gm * gp[row + nu] }
                        }
                    }
                    for mu in 0..<p { for nu in 0..<mu { mp[mu * p + nu] = mp[nu * p + mu] } }
                }
            }
        }
        return SymmetricEigendecomposition(symmetric: matrix, dimension: dim)
    }
}
