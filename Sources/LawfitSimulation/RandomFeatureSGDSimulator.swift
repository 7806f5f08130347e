import Foundation
import LawfitCore

/// Direct simulation of one-pass minibatch SGD on linear random-feature regression under a
/// learning-rate schedule: the setting of the schedule-aware DMFT law (Bordelon, Atanasov & Pehlevan,
/// ICML 2024, Sec. 5), used to validate it.
///
/// Data x in R^M with independent x_k ~ N(0, lambda_k), lambda_k = k^-b; target y = w* . x + eps with
/// lambda_k w*_k^2 = k^-a and eps ~ N(0, noise). Features phi = F x / sqrt(N) with a Gaussian projection
/// F (N x M, unit entries, the same draw as ``RandomFeatureRegression`` for a seed); the model
/// f = v . phi starts at v = 0, and update k (k >= 1) takes a fresh batch of B samples:
/// v <- v - (eta_k / B) sum_batch (f(x) - y) phi. The excess test loss is sum_k lambda_k (w_k - w*_k)^2,
/// w = F^T v / sqrt(N) (label noise not added back).
///
/// Two estimates per feature draw:
/// - ``expectedLosses(rates:seed:)``: the exact expectation over data given F. phi is Gaussian with
///   covariance S = F Lambda F^T / N and the residual y - beta* . phi (beta* = S^-1 F Lambda w* / sqrt(N))
///   is independent of phi with variance sigma_perp^2(F) + noise, so in S's eigenbasis the SGD moments
///   close per mode (``SGDPowerLawSimulator`` on S's eigenvalues s_j and target powers
///   (v_j . F Lambda w* / sqrt(N))^2 / s_j, noise sigma_perp^2 + noise).
/// - ``sampledLosses(rates:steps:seed:)``: SGD itself with sampled minibatches (a check of the first).
public struct RandomFeatureSGDSimulator: Sendable {
    /// Task-power exponent a.
    public let a: Double
    /// Spectral exponent b.
    public let b: Double
    /// Number of data modes M.
    public let modes: Int
    /// Number of random features N.
    public let features: Int
    /// Minibatch size B.
    public let batchSize: Int
    /// Label-noise variance.
    public let noise: Double

    /// The most N^2 M + modes x steps work one seed may take (about a minute on one core).
    public static let maximumWork = 20_000_000_000

    /// - Throws: ``LawfitError`` (input) for non-positive exponents or sizes, N >= M, B < 1 or a
    ///   negative noise.
    public init(a: Double, b: Double, modes: Int, features: Int, batchSize: Int, noise: Double = 0) throws {
        try PowerLawTask.checkExponents(a: a, b: b, in: "random-feature SGD simulation")
        guard features > 0, modes > features else {
            throw LawfitError.input("random-feature SGD simulation: need 0 < N < M; got N = \(features), M = \(modes)")
        }
        guard batchSize >= 1 else { throw LawfitError.input("random-feature SGD simulation: batch size must be at least 1, got \(batchSize)") }
        try PowerLawTask.checkNoise(noise, in: "random-feature SGD simulation")
        self.a = a
        self.b = b
        self.modes = modes
        self.features = features
        self.batchSize = batchSize
        self.noise = noise
    }

    private var eigenvalues: [Double] { PowerLawTask.eigenvalues(b: b, modes: modes) }
    private var target: [Double] { PowerLawTask.target(a: a, b: b, modes: modes) }  // w*_k

    /// The projection F, row-major N x M.
    private func projection(seed: UInt64) -> [Double] {
        var f = [Double](repeating: 0, count: features * modes)
        var column = [Double](repeating: 0, count: features)
        for k in 0..<modes {
            RandomFeatureRegression.fillProjection(&column, seed: seed, mode: k)
            for i in 0..<features { f[i * modes + k] = column[i] }
        }
        return f
    }

    /// The exact expected excess loss after every update k in 0...rates.count - 1 (update k uses
    /// `rates[k]`) for the features of one seed, averaged over the data.
    ///
    /// - Throws: ``LawfitError`` (input) when the work exceeds ``maximumWork``.
    public func expectedLosses(rates: [Double], seed: UInt64) throws -> [Double] {
        let n = features, m = modes
        let work = n * n * m + m * rates.count
        guard work <= Self.maximumWork else {
            throw LawfitError.input("random-feature SGD simulation: N^2 M + M x steps = \(work) is more than \(Self.maximumWork)")
        }
        let lambda = eigenvalues, w = target
        // G = F Lambda^(1/2) (row-major N x M): S = G G^T / N, F Lambda w* / sqrt(N) = G (Lambda^(1/2) w*) / sqrt(N).
        var g = projection(seed: seed)
        let roots = lambda.map { $0.squareRoot() }
        let weighted = (0..<m).map { roots[$0] * w[$0] }
        var s = [Double](repeating: 0, count: n * n), rhs = [Double](repeating: 0, count: n)
        g.withUnsafeMutableBufferPointer { g in
            roots.withUnsafeBufferPointer { roots in
                for i in 0..<n { for k in 0..<m { g[i * m + k] *= roots[k] } }
            }
            weighted.withUnsafeBufferPointer { weighted in
                s.withUnsafeMutableBufferPointer { s in
                    for i in 0..<n {
                        let row = g.baseAddress! + i * m
                        var r = 0.0
                        for k in 0..<m { r += row[k] * weighted[k] }
                        rhs[i] = r / Double(n).squareRoot()
                        for j in i..<n {
                            let other = g.baseAddress! + j * m
                            var sum = 0.0
                            for k in 0..<m { sum += row[k] * other[k] }
                            s[i * n + j] = sum / Double(n)
                            s[j * n + i] = sum / Double(n)
                        }
                    }
                }
            }
        }
        let eigen = SymmetricEigendecomposition(symmetric: s, dimension: n)
        var powers = [Double](repeating: 0, count: n)
        var represented = 0.0
        for j in 0..<n {
            var projection = 0.0
            for i in 0..<n { projection += eigen.vectors[j * n + i] * rhs[i] }
            powers[j] = projection * projection / eigen.values[j]
            represented += powers[j]
        }
        let total = (1...m).reduce(0.0) { $0 + Foundation.pow(Double($1), -a) }
        let unrepresented = max(total - represented, 0)
        let kernel = FeatureKernel(values: eigen.values, powers: powers)
        let simulator = try SGDPowerLawSimulator(kernel: kernel, noise: unrepresented + noise, batchSize: batchSize)
        return simulator.expectedLoss(rates: rates).map { $0 - noise }
    }

    /// The mean of ``expectedLosses(rates:seed:)`` over `seeds`.
    public func meanExpectedLosses(rates: [Double], seeds: Range<UInt64>) throws -> [Double] {
        var total = [Double](repeating: 0, count: rates.count)
        for seed in seeds {
            for (k, loss) in try expectedLosses(rates: rates, seed: seed).enumerated() { total[k] += loss }
        }
        return total.map { $0 / Double(seeds.count) }
    }

    /// SGD with sampled minibatches for the features of `seed` (data from the same seed): the
    /// excess test loss after each update count in `steps` (sorted, within 0...rates.count - 1).
    public func sampledLosses(rates: [Double], steps: [Int], seed: UInt64) -> [Double] {
        let n = features, m = modes
        let lambda = eigenvalues, w = target
        let scales = lambda.map { $0.squareRoot() }
        let f = projection(seed: seed)
        let rootN = Double(n).squareRoot(), noiseScale = noise.squareRoot()
        var rng = RandomFeatureRandom(seed: seed, stream: 4, index: 0)
        var v = [Double](repeating: 0, count: n), gradient = v, phi = v
        var x = [Double](repeating: 0, count: m)
        var output: [Double] = []
        func excess() -> Double {
            var loss = 0.0
            for k in 0..<m {
                var wk = 0.0
                for i in 0..<n { wk += f[i * m + k] * v[i] }
                let error = wk / rootN - w[k]
                loss += lambda[k] * error * error
            }
            return loss
        }
        var next = 0
        for k in 0..<rates.count {
            if k > 0 {
                for i in 0..<n { gradient[i] = 0 }
                for _ in 0..<batchSize {
                    var y = noiseScale * rng.gaussian()
                    for j in 0..<m {
                        x[j] = scales[j] * rng.gaussian()
                        y += w[j] * x[j]
                    }
                    var prediction = 0.0
                    for i in 0..<n {
                        var p = 0.0
                        for j in 0..<m { p += f[i * m + j] * x[j] }
                        phi[i] = p / rootN
                        prediction += v[i] * phi[i]
                    }
                    let residual = prediction - y
                    for i in 0..<n { gradient[i] += residual * phi[i] }
                }
                let step = rates[k] / Double(batchSize)
                for i in 0..<n { v[i] -= step * gradient[i] }
            }
            while next < steps.count, steps[next] == k {
                output.append(excess())
                next += 1
            }
        }
        return output
    }
}

/// The eigen-pairs of one feature draw as a kernel for ``SGDPowerLawSimulator``.
private struct FeatureKernel: SpectralKernel {
    let values: [Double]
    let powers: [Double]
    var modes: Int { values.count }
    func eigenvalue(_ j: Int) -> Double { values[j - 1] }
    func targetPower(_ j: Int) -> Double { powers[j - 1] }
    var spec: String { "random-features(modes=\(values.count))" }
}
