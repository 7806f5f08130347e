import Foundation

/// The m-node Gauss rule of a discrete positive measure sum_k w_k delta(T - T_k): nodes and
/// positive weights with sum_j W_j p(node_j) = sum_k w_k p(T_k) for every polynomial p of degree
/// <= 2m - 1 (Golub and Welsch 1969: the eigenvalues of the Jacobi matrix of the measure's
/// orthogonal polynomials, built by the Stieltjes procedure on the points themselves, and
/// W_j = total weight x the squared first components of its eigenvectors). Along with it, the
/// weighted least-squares polynomial of degree m - 1 through values y_k at the T_k (in the same
/// orthogonal basis), evaluated at the nodes, and its largest residual.
struct DiscreteGaussRule {
    var nodes: [Double] = []
    var weights: [Double] = []
    /// The least-squares polynomial of the values at each node.
    var fitted: [Double] = []
    /// max_k |y_k - fit(T_k)|.
    var residual = 0.0

    /// Nil when the points do not carry m independent polynomials (fewer than m distinct T_k).
    init?(times: ArraySlice<Double>, weights w: ArraySlice<Double>, values: ArraySlice<Double>, nodes m: Int) {
        guard let low = times.min(), let high = times.max(), high > low else { return nil }
        let center = 0.5 * (low + high), half = 0.5 * (high - low)
        let z = times.map { ($0 - center) / half }, weight = Array(w), y = Array(values)
        var previous = [Double](repeating: 0, count: z.count), p = [Double](repeating: 1, count: z.count)
        var fit = [Double](repeating: 0, count: z.count)
        var alpha: [Double] = [], beta: [Double] = [0], coefficient: [Double] = []
        var previousNorm = 0.0, firstNorm = 0.0
        for j in 0..<m {
            var norm = 0.0, moment = 0.0, projection = 0.0
            for k in z.indices {
                let wp = weight[k] * p[k]
                norm += wp * p[k]
                moment += wp * p[k] * z[k]
                projection += wp * y[k]
            }
            if j == 0 { firstNorm = norm }
            guard norm > 1e-24 * firstNorm, norm.isFinite else { return nil }
            alpha.append(moment / norm)
            if j > 0 { beta.append(norm / previousNorm) }
            coefficient.append(projection / norm)
            for k in z.indices {
                fit[k] += coefficient[j] * p[k]
                let next = (z[k] - alpha[j]) * p[k] - beta[j] * previous[k]
                previous[k] = p[k]
                p[k] = next
            }
            previousNorm = norm
        }
        residual = zip(y, fit).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
        let (eigenvalues, firstComponents) = Self.tridiagonalEigen(diagonal: alpha, offDiagonalSquares: Array(beta.dropFirst()))
        let total = firstNorm
        for j in eigenvalues.indices.sorted(by: { eigenvalues[$0] < eigenvalues[$1] }) {
            let x = eigenvalues[j]
            var pPrevious = 0.0, pCurrent = 1.0, value = 0.0
            for i in 0..<m {
                value += coefficient[i] * pCurrent
                let next = (x - alpha[i]) * pCurrent - beta[i] * pPrevious
                pPrevious = pCurrent
                pCurrent = next
            }
            nodes.append(center + half * x)
            weights.append(total * firstComponents[j] * firstComponents[j])
            fitted.append(value)
        }
        guard nodes.allSatisfy({ $0 >= low - 1e-9 * half && $0 <= high + 1e-9 * half }), weights.allSatisfy({ $0 > 0 }) else { return nil }
    }

    /// Eigenvalues and the first component of each unit eigenvector of the symmetric tridiagonal
    /// matrix with the given diagonal and squared off-diagonal, by cyclic Jacobi rotations (m <= 8).
    private static func tridiagonalEigen(diagonal: [Double], offDiagonalSquares: [Double]) -> ([Double], [Double]) {
        let m = diagonal.count
        var a = [Double](repeating: 0, count: m * m), v = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            a[i * m + i] = diagonal[i]
            v[i * m + i] = 1
            if i + 1 < m {
                a[i * m + i + 1] = offDiagonalSquares[i].squareRoot()
                a[(i + 1) * m + i] = a[i * m + i + 1]
            }
        }
        for _ in 0..<64 {
            var off = 0.0, scale = 0.0
            for i in 0..<m {
                scale += a[i * m + i] * a[i * m + i]
                for j in (i + 1)..<m { off += a[i * m + j] * a[i * m + j] }
            }
            if off <= 1e-32 * Swift.max(scale, 1e-300) { break }
            for p in 0..<(m - 1) {
                for q in (p + 1)..<m where a[p * m + q] != 0 {
                    let theta = (a[q * m + q] - a[p * m + p]) / (2 * a[p * m + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<m {
                        let kp = a[k * m + p], kq = a[k * m + q]
                        a[k * m + p] = c * kp - s * kq
                        a[k * m + q] = s * kp + c * kq
                    }
                    for k in 0..<m {
                        let pk = a[p * m + k], qk = a[q * m + k]
                        a[p * m + k] = c * pk - s * qk
                        a[q * m + k] = s * pk + c * qk
                    }
                    for k in 0..<m {
                        let kp = v[k * m + p], kq = v[k * m + q]
                        v[k * m + p] = c * kp - s * kq
                        v[k * m + q] = s * kp + c * kq
                    }
                }
            }
        }
        return ((0..<m).map { a[$0 * m + $0] }, (0..<m).map { v[$0] })
    }
}
