import Foundation

/// Sums over the modes j = 1 ... M of a real model size M (whole modes, then the partial mode
/// floor(M) + 1 with weight M - floor(M), as in ``FSLScaledKernel``) at a cost independent of M:
/// modes up to ``exactModes`` are summed term by term, the rest by the midpoint rule
/// sum_{j=a}^{b} h(j) ~ int_{a-1/2}^{b+1/2} h(x) dx (relative error ~ p^2 / (24 a^2) < 1e-6 for the
/// power laws here), integrated by 10-point Gauss-Legendre panels of width 1/2 in log x.
enum FSLModeSum {
    /// Modes summed term by term.
    static let exactModes = 512

    /// sum_j w_j h(j) over the modes of size `modes` (>= 1); `h` returns two values summed together.
    static func sum(modes: Double, _ h: (Double) -> SIMD2<Double>) -> SIMD2<Double> {
        let quadrature = nodes(modes: modes)
        var total = SIMD2<Double>(0, 0)
        for (j, weight) in zip(quadrature.points, quadrature.weights) { total += weight * h(j) }
        return total
    }

    /// The points j and weights w_j of the sum over the modes of size `modes` (>= 1): whole modes up to
    /// ``exactModes`` with weight 1, Gauss-Legendre nodes beyond, the partial mode with weight M - floor(M).
    static func nodes(modes: Double) -> (points: [Double], weights: [Double]) {
        let whole = Int(modes)
        var points = (1...min(whole, exactModes)).map(Double.init)
        var weights = [Double](repeating: 1, count: points.count)
        if whole > exactModes {
            let a = log(Double(exactModes) + 0.5), b = log(Double(whole) + 0.5)
            let panels = Int(((b - a) / 0.5).rounded(.up))
            let width = (b - a) / Double(panels)
            for panel in 0..<panels {
                let mid = a + (Double(panel) + 0.5) * width
                for (node, weight) in zip(Self.legendreNodes, Self.legendreWeights) {
                    let x = exp(mid + 0.5 * width * node)
                    points.append(x)
                    weights.append(0.5 * width * weight * x)
                }
            }
        }
        let partial = modes - Double(whole)
        if partial > 0 {
            points.append(Double(whole + 1))
            weights.append(partial)
        }
        return (points, weights)
    }

    /// Gauss-Legendre nodes and weights on [-1, 1], 10 points.
    private static let legendreNodes: [Double] = [
        -0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.1488743389816312,
        0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717,
    ]
    private static let legendreWeights: [Double] = [
        0.0666713443086881, 0.1494513491505806, 0.2190863625159820, 0.2692667193099963, 0.2955242247147529,
        0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881,
    ]
}
