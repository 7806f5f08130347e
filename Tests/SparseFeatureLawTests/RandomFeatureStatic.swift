import Foundation

/// A port of `static_loss(m, N, None)` of `../shared/reference/dmft_random_features.py`: the
/// t -> infinity excess loss of the linear random-feature model with N features and infinite data,
/// sigma_perp^2(N) = kappa0 U(kappa0), where D(kappa0) = N. Spectrum lambda_k = k^-b, task power
/// lambda_k w*_k^2 = k^-a; mode sums exact for k <= 400, then a 3000-cell log-spaced quadrature to
/// 1e14 (`make_modes`); kappa0 by 400 geometric bisections on [1e-300, 1e10] (`kt0`), as there.
struct RandomFeatureStatic {
    let lambda: [Double]
    let power: [Double]
    let weight: [Double]

    init(a: Double, b: Double, exactModes: Int = 400, maxMode: Double = 1e14, logCells: Int = 3000) {
        var k = (1...exactModes).map(Double.init)
        var w = [Double](repeating: 1, count: exactModes)
        let low = Foundation.log(Double(exactModes) + 0.5), high = Foundation.log(maxMode)
        let edges = (0...logCells).map { Foundation.exp(low + (high - low) * Double($0) / Double(logCells)) }
        for j in 0..<logCells {
            k.append((edges[j] * edges[j + 1]).squareRoot())
            w.append(edges[j + 1] - edges[j])
        }
        lambda = k.map { Foundation.pow($0, -b) }
        power = k.map { Foundation.pow($0, -a) }
        weight = w
    }

    /// D(kappa) = sum_k w_k lambda_k / (lambda_k + kappa).
    func degrees(_ kappa: Double) -> Double {
        var total = 0.0
        for k in lambda.indices { total += weight[k] * lambda[k] / (lambda[k] + kappa) }
        return total
    }

    /// U(kappa) = sum_k w_k lambda_k w*_k^2 / (lambda_k + kappa).
    func unexplained(_ kappa: Double) -> Double {
        var total = 0.0
        for k in lambda.indices { total += weight[k] * power[k] / (lambda[k] + kappa) }
        return total
    }

    /// kappa0 with D(kappa0) = n.
    func kappa0(_ n: Double) -> Double {
        var low = 1e-300, high = 1e10
        for _ in 0..<400 {
            let mid = (low * high).squareRoot()
            if degrees(mid) > n { low = mid } else { high = mid }
        }
        return (low * high).squareRoot()
    }

    /// sigma_perp^2(N): the N-only static loss.
    func nOnlyLoss(_ n: Double) -> Double {
        let kappa = kappa0(n)
        return kappa * unexplained(kappa)
    }
}
