import Foundation

/// A law whose prediction is linear and homogeneous in some of its parameters once the others are
/// fixed: Lhat_i = sum_{j in linear} theta_j dLhat_i/dtheta_j, the derivatives depending only on the
/// other parameters (Multi-Power: L0, A, B; FSL surrogate: L0, c1, c23, c2).
///
/// The fitter uses this for staged starts (``StagedStart``): at each start it first solves the linear
/// parameters exactly for the start's nonlinear ones, so that the local method begins at the best
/// amplitudes rather than at a guess.
public protocol PartiallyLinearLaw: ScalingLaw {
    /// Names of the parameters the prediction is linear and homogeneous in (see the protocol).
    var linearParameters: [String] { get }
}

/// The first stage of a start: the linear parameters of a ``PartiallyLinearLaw`` solved, for the
/// start's nonlinear parameters, by non-negative least squares on relative residuals
/// sqrt(w_i) (Lhat_i - L_i) / L_i (log residuals to first order), then clamped into their bounds.
///
/// One evaluation with Jacobian per distinct set of nonlinear values among the starts: the basis,
/// the Jacobian's columns of the linear parameters, depends on those alone, so starts of a grid that
/// differ only in linear parameters share one solve. A start whose solve fails (no finite basis,
/// or a degenerate one) is kept as it is. Up to
/// ``predictionBlockSize`` points the basis is solved as it is; beyond, it is first reduced block by
/// block to its m x m triangle by Givens rotations (the same least-squares problem, R c ~ Q^T y), so
/// that a long log's points x m basis is never held.
enum StagedStart {
    /// `starts` (natural units) with their linear parameters solved on `objective`'s data.
    static func solveLinear(_ starts: [[Double]], law: any PartiallyLinearLaw, objective: BoundObjective) -> [[Double]] {
        let space = objective.space
        let linear = law.linearParameters.compactMap { space.names.firstIndex(of: $0) }
        guard !linear.isEmpty, linear.count == law.linearParameters.count else { return starts }
        let n = objective.observed.count, m = linear.count, p = space.count
        guard n >= m else { return starts }
        let reduced = n > predictionBlockSize
        let rows = reduced ? m : n
        let solver = NonNegativeLeastSquares(rows: rows, columns: m)
        /// The linear parameters' least-squares solution for the nonlinear values of `start`, or nil.
        func solve(_ start: [Double]) -> [Double]? {
            var solution = [Double](repeating: 0, count: m)
            // Row i of [basis | target]: sqrt(w_i) / L_i (dLhat_i/dtheta_j for j linear | L_i).
            var system = LinearSystem(columns: m, rows: reduced ? 0 : n)
            var complete = true
            var row = [Double](repeating: 0, count: m + 1)
            objective.evaluator.predictBlocks(start, jacobian: true) { block in
                guard let jacobian = block.jacobian, jacobian.count == block.points.count * p else {
                    complete = false
                    return
                }
                for (k, i) in block.points.enumerated() {
                    let observed = objective.observed[i]
                    let scale = objective.weight(at: i).squareRoot() / (objective.spec.space == .log ? observed : 1)
                    for (column, j) in linear.enumerated() { row[column] = scale * jacobian[k * p + j] }
                    row[m] = scale * observed
                    if reduced { system.rotateIn(&row) } else { system.set(row: i, row) }
                }
            }
            if reduced { system.takeTriangle() }
            guard complete, system.matrix.allSatisfy(\.isFinite), system.target.allSatisfy(\.isFinite) else { return nil }
            system.matrix.withUnsafeBufferPointer { mb in
                system.target.withUnsafeBufferPointer { tb in
                    solution.withUnsafeMutableBufferPointer { sb in _ = solver.solve(matrix: mb, target: tb, solution: sb) }
                }
            }
            return solution.allSatisfy(\.isFinite) ? solution : nil
        }
        // Solutions by the start's nonlinear values (its linear entries zeroed).
        var solved: [[Double]: [Double]?] = [:]
        return starts.map { start in
            var key = start
            for j in linear { key[j] = 0 }
            let solution = solved[key] ?? solve(start)
            solved.updateValue(solution, forKey: key)
            guard let solution else { return start }
            var staged = start
            for (k, j) in linear.enumerated() {
                let parameter = space.parameters[j]
                let value = min(max(solution[k], parameter.lowerBound), parameter.upperBound)
                // A log-transformed parameter needs a positive start; keep the grid's where NNLS gave 0.
                if parameter.transform == .identity || value > 0 { staged[j] = value }
            }
            return staged
        }
    }

    /// A least-squares system min ||M c - y||: its rows as given, or (after ``rotateIn(_:)``) the upper
    /// triangle R of [M | y] = Q R reduced one row at a time by Givens rotations, whose first m rows
    /// pose the same problem (the last row of R holds only the residual).
    struct LinearSystem {
        let columns: Int
        /// Row-major rows x columns, and the target per row.
        var matrix: [Double]
        var target: [Double]
        /// [M | y]'s triangle, (m + 1) x (m + 1), while rows are rotated in.
        private var triangle: [Double]

        init(columns m: Int, rows: Int) {
            columns = m
            matrix = [Double](repeating: 0, count: (rows == 0 ? m : rows) * m)
            target = [Double](repeating: 0, count: rows == 0 ? m : rows)
            triangle = rows == 0 ? [Double](repeating: 0, count: (m + 1) * (m + 1)) : []
        }

        /// Stores row i (`row` = the m coefficients, then the target).
        mutating func set(row i: Int, _ row: [Double]) {
            for j in 0..<columns { matrix[i * columns + j] = row[j] }
            target[i] = row[columns]
        }

        /// Rotates `row` (m coefficients, then the target) into the triangle (`row` is overwritten).
        mutating func rotateIn(_ row: inout [Double]) {
            let width = columns + 1
            for j in 0..<width where row[j] != 0 {
                let diagonal = triangle[j * width + j]
                let radius = (diagonal * diagonal + row[j] * row[j]).squareRoot()
                let cosine = diagonal / radius, sine = row[j] / radius
                for k in j..<width {
                    let upper = triangle[j * width + k], lower = row[k]
                    triangle[j * width + k] = cosine * upper + sine * lower
                    row[k] = cosine * lower - sine * upper
                }
            }
        }

        /// Makes the triangle's first m rows the system (after the last ``rotateIn(_:)``).
        mutating func takeTriangle() {
            let width = columns + 1
            for i in 0..<columns {
                for j in 0..<columns { matrix[i * columns + j] = triangle[i * width + j] }
                target[i] = triangle[i * width + columns]
            }
        }
    }
}
