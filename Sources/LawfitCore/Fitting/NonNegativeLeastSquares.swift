import Foundation

/// Non-negative least squares, min ||M c - y|| subject to c >= 0, by the active-set method of
/// Lawson and Hanson ("Solving Least Squares Problems", 1974, ch. 23, algorithm NNLS).
///
/// Meant for the few linear coefficients of a scaling law (m <= ~10) over a few thousand points.
/// Columns are scaled to unit norm before solving (the constraint c >= 0 is invariant to positive
/// scaling), and each passive-set subproblem is solved by Householder QR, not normal equations.
/// A solver owns its scratch space: reuse one per worker, never share it between threads.
public final class NonNegativeLeastSquares {
    /// Number of equations (points).
    public let rows: Int
    /// Number of unknowns (coefficients).
    public let columns: Int
    private var scaled: [Double]
    private var scales: [Double]
    private var work: [Double]
    private var rhs: [Double]
    private var residual: [Double]

    /// A solver for `rows` x `columns` problems.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        scaled = [Double](repeating: 0, count: rows * columns)
        scales = [Double](repeating: 0, count: columns)
        work = [Double](repeating: 0, count: rows * columns)
        rhs = [Double](repeating: 0, count: rows)
        residual = [Double](repeating: 0, count: rows)
    }

    /// Solves for `solution` (length `columns`). `matrix` is row-major `rows` x `columns`.
    ///
    /// - Returns: the residual sum of squares ||M c - y||^2 at the solution.
    @discardableResult
    public func solve(
        matrix: UnsafeBufferPointer<Double>, target y: UnsafeBufferPointer<Double>, solution c: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let n = rows, m = columns
        for j in 0..<m {
            var norm = 0.0
            for i in 0..<n { norm += matrix[i * m + j] * matrix[i * m + j] }
            norm = norm.squareRoot()
            scales[j] = norm > 0 ? norm : 1
            for i in 0..<n { scaled[i * m + j] = matrix[i * m + j] / scales[j] }
        }
        var x = [Double](repeating: 0, count: m)
        var passive = [Bool](repeating: false, count: m)
        let tolerance = 10 * Double.ulpOfOne * Double(max(n, m)) * (y.reduce(0) { $0 + $1 * $1 }.squareRoot() + 1)
        var outer = 0
        while outer < 3 * m {
            outer += 1
            let gradient = dualGradient(x, y)
            var best = -1
            var bestValue = tolerance
            for j in 0..<m where !passive[j] && gradient[j] > bestValue {
                best = j
                bestValue = gradient[j]
            }
            guard best >= 0 else { break }
            passive[best] = true
            var inner = 0
            while inner < 3 * m {
                inner += 1
                let s = leastSquares(on: passive, y)
                if (0..<m).allSatisfy({ !passive[$0] || s[$0] > 0 }) {
                    x = s
                    break
                }
                var step = 1.0
                for j in 0..<m where passive[j] && s[j] <= 0 {
                    let denominator = x[j] - s[j]
                    if denominator > 0 { step = min(step, x[j] / denominator) }
                }
                for j in 0..<m where passive[j] {
                    x[j] += step * (s[j] - x[j])
                    if x[j] <= tolerance {
                        x[j] = 0
                        passive[j] = false
                    }
                }
            }
        }
        var sumOfSquares = 0.0
        for i in 0..<n {
            var r = -y[i]
            for j in 0..<m { r += scaled[i * m + j] * x[j] }
            sumOfSquares += r * r
        }
        for j in 0..<m { c[j] = x[j] / scales[j] }
        return sumOfSquares
    }

    /// w = M^T (y - M x) on the scaled matrix.
    private func dualGradient(_ x: [Double], _ y: UnsafeBufferPointer<Double>) -> [Double] {
        let n = rows, m = columns
        for i in 0..<n {
            var r = y[i]
            for j in 0..<m { r -= scaled[i * m + j] * x[j] }
            residual[i] = r
        }
        var w = [Double](repeating: 0, count: m)
        for i in 0..<n { for j in 0..<m { w[j] += scaled[i * m + j] * residual[i] } }
        return w
    }

    /// The unconstrained least-squares solution on the passive columns (zero elsewhere), by
    /// Householder QR of those columns.
    private func leastSquares(on passive: [Bool], _ y: UnsafeBufferPointer<Double>) -> [Double] {
        let n = rows, m = columns
        let chosen = (0..<m).filter { passive[$0] }
        let k = chosen.count
        for i in 0..<n {
            for (column, j) in chosen.enumerated() { work[i * k + column] = scaled[i * m + j] }
            rhs[i] = y[i]
        }
        var diagonal = [Double](repeating: 0, count: k)
        for column in 0..<k {
            var norm = 0.0
            for i in column..<n { norm += work[i * k + column] * work[i * k + column] }
            norm = norm.squareRoot()
            let alpha = work[column * k + column] > 0 ? -norm : norm
            diagonal[column] = alpha
            guard norm > 0 else { continue }
            // v = x - alpha e1, stored in place; H = I - 2 v v^T / (v^T v).
            work[column * k + column] -= alpha
            var vv = 0.0
            for i in column..<n { vv += work[i * k + column] * work[i * k + column] }
            guard vv > 0 else { continue }
            for later in (column + 1)..<max(k, column + 1) {
                var dot = 0.0
                for i in column..<n { dot += work[i * k + column] * work[i * k + later] }
                let factor = 2 * dot / vv
                for i in column..<n { work[i * k + later] -= factor * work[i * k + column] }
            }
            var dot = 0.0
            for i in column..<n { dot += work[i * k + column] * rhs[i] }
            let factor = 2 * dot / vv
            for i in column..<n { rhs[i] -= factor * work[i * k + column] }
        }
        var coefficients = [Double](repeating: 0, count: k)
        for column in stride(from: k - 1, through: 0, by: -1) {
            var value = rhs[column]
            for later in (column + 1)..<max(k, column + 1) { value -= work[column * k + later] * coefficients[later] }
            // A column dependent on earlier ones contributes nothing.
            coefficients[column] = abs(diagonal[column]) > 1e-12 ? value / diagonal[column] : 0
        }
        var s = [Double](repeating: 0, count: m)
        for (column, j) in chosen.enumerated() { s[j] = coefficients[column] }
        return s
    }
}
