import Foundation

/// Curvature of a fit objective f(u) = sum_i w_i rho(r_i(u)) in the optimiser's coordinates u: the
/// Gauss-Newton matrix, which the fit's flat-direction check and Laplace intervals use (the
/// finite-difference Hessian that checks it lives with the tests, in TestSupport).
public enum ObjectiveHessian {
    /// The Gauss-Newton part of the objective's Hessian at `u`:
    ///
    ///     G_jk = sum_i w_i rho''(r_i) (dr_i/du_j) (dr_i/du_k),
    ///
    /// rho'' = 2 for squared error, and for Huber 1 inside delta and 0 beyond (the exact second
    /// derivative; the Hessian's other term, sum_i w_i rho'(r_i) d^2 r_i / du_j du_k, vanishes with the
    /// residuals). dr_i/du_j comes from the law's Jacobian (analytic where it has one) times
    /// dr/dLhat and the transform's dtheta_j/du_j. One pass over the points with Jacobian, block by
    /// block, and positive semi-definite by construction: no finite-difference error in it.
    ///
    /// - Throws: ``LawfitError`` (fit) when a prediction is not finite, or not positive for log residuals.
    public static func gaussNewton(_ objective: BoundObjective, at u: [Double]) throws -> [[Double]] {
        let space = objective.space, p = space.count
        let theta = space.toNatural(u)
        let slopes = zip(space.parameters, theta).map { $0.transform.derivative(atNatural: $1) }
        var g = [Double](repeating: 0, count: p * p)
        var row = [Double](repeating: 0, count: p)
        try objective.evaluator.predictBlocks(theta, jacobian: true, threads: BlockThreads(objective.threads)) { block in
            guard let jacobian = block.jacobian else { return }
            for (k, i) in block.points.enumerated() {
                let predicted = block.predictions[k]
                guard predicted.isFinite else { throw LawfitError.fit("the law's prediction is not finite at \(objective.describePoint(i))") }
                let r = try objective.spec.residual(predicted: predicted, observed: objective.observed[i])
                let dr = objective.spec.space == .log ? 1 / predicted : 1
                let second: Double
                switch objective.spec.loss {
                case .squared: second = 2
                case .huber(let delta): second = abs(r) <= delta ? 1 : 0
                }
                let c = objective.weight(at: i) * second
                guard c != 0 else { continue }
                for j in 0..<p { row[j] = jacobian[k * p + j] * dr * slopes[j] }
                for j in 0..<p {
                    let cj = c * row[j]
                    for l in j..<p { g[j * p + l] += cj * row[l] }
                }
            }
        }
        return (0..<p).map { j in (0..<p).map { l in l >= j ? g[j * p + l] : g[l * p + j] } }
    }

    /// The eigen-decomposition of `curvature` scaled by its diagonal, D^-1/2 G D^-1/2 with
    /// D = diag(G) (1 where a diagonal entry is not positive), and the scale D^-1/2. The scaled
    /// matrix has a unit diagonal wherever G's is positive, so its eigenvalues measure how nearly
    /// the parameters' sensitivities are linearly dependent, whatever the parameters' units: a
    /// well-determined parameter whose curvature is 1e-12 of another's is not taken for a flat
    /// direction, and a genuinely flat one (a combination the data do not move) still gives an
    /// eigenvalue at round-off level.
    public static func scaledEigen(_ curvature: [[Double]]) -> (eigen: SymmetricEigen, scale: [Double]) {
        let p = curvature.count
        let scale = (0..<p).map { curvature[$0][$0] > 0 ? 1 / curvature[$0][$0].squareRoot() : 1 }
        let scaled = (0..<p).map { j in (0..<p).map { k in curvature[j][k] * scale[j] * scale[k] } }
        return (SymmetricEigen(scaled), scale)
    }
}
