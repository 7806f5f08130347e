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
/// One evaluation with Jacobian per start; the Jacobian's columns of the linear parameters are the
/// basis. A start whose solve fails (no finite basis, or a degenerate one) is kept as it is.
enum StagedStart {
    /// `starts` (natural units) with their linear parameters solved on `objective`'s data.
    static func solveLinear(_ starts: [[Double]], law: any PartiallyLinearLaw, objective: BoundObjective) -> [[Double]] {
        let space = objective.space
        let linear = law.linearParameters.compactMap { space.names.firstIndex(of: $0) }
        guard !linear.isEmpty, linear.count == law.linearParameters.count else { return starts }
        let n = objective.observed.count, m = linear.count, p = space.count
        guard n >= m else { return starts }
        let solver = NonNegativeLeastSquares(rows: n, columns: m)
        var matrix = [Double](repeating: 0, count: n * m), target = [Double](repeating: 0, count: n)
        var solution = [Double](repeating: 0, count: m)
        return starts.map { start in
            let (_, jacobian) = objective.evaluator.predictWithJacobian(start)
            guard jacobian.count == n * p else { return start }
            for i in 0..<n {
                let observed = objective.observed[i]
                let scale = objective.pointWeights[i].squareRoot() / (objective.spec.space == .log ? observed : 1)
                for (k, j) in linear.enumerated() { matrix[i * m + k] = scale * jacobian[i * p + j] }
                target[i] = scale * observed
            }
            guard matrix.allSatisfy(\.isFinite), target.allSatisfy(\.isFinite) else { return start }
            matrix.withUnsafeBufferPointer { mb in
                target.withUnsafeBufferPointer { tb in
                    solution.withUnsafeMutableBufferPointer { sb in _ = solver.solve(matrix: mb, target: tb, solution: sb) }
                }
            }
            guard solution.allSatisfy(\.isFinite) else { return start }
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
}
