import Foundation

/// Laplace (Gaussian-approximation) intervals from the curvature of the objective at the optimum:
/// the fast alternative to the bootstrap.
///
/// In the optimiser's coordinates u (log for log-transformed parameters), near the optimum the
/// objective f(u) = sum rho(r_i) behaves like rho''(0)/2 sum r_i^2, so with H its Gauss-Newton
/// Hessian sum_i w_i rho''(r_i) J_i J_i^T (``ObjectiveHessian/gaussNewton(_:at:)``, J_i = dr_i/du)
/// the least-squares covariance sigma^2 (J^T J)^-1 is
///
///     Cov(u) = rho''(0) sigma^2 H^-1,   sigma^2 = sum r_i^2 / (n - p),
///
/// H is inverted scaled by its diagonal, D^1/2 (D^-1/2 H D^-1/2)^-1 D^1/2 with D^-1/2 = diag(H)^-1/2,
/// and refused as a flat direction when the scaled matrix's smallest eigenvalue is at most 1e-12 of
/// its largest (``ObjectiveHessian/scaledEigen(_:)``): so parameters of very different scales (an
/// lr-annealing log's C and lambda) are not taken for a flat direction.
///
/// rho''(0) = 2 for the squared loss and 1 for Huber (its quadratic core). The interval of a
/// parameter is T(u_j -/+ z sd(u_j)) with T the parameter's transform (so log-fitted parameters get
/// positive, asymmetric intervals) and its standard error |dT/du| sd(u_j). A prediction's standard
/// error is sqrt(g^T Cov(u) g) with g = d Lhat / du (delta method) and its interval estimate -/+ z se.
/// For Huber fits with outliers beyond delta, sigma^2 from all residuals is conservative.
public struct LaplaceIntervals: Sendable {
    public var confidence: Double
    /// Covariance of the optimiser coordinates.
    public var covariance: [[Double]]
    public var parameters: [ParameterInterval]

    /// Intervals for the fit `values` (natural units) of `objective`.
    ///
    /// - Parameter hessian: the objective's Gauss-Newton Hessian at `values` in the optimiser's
    ///   coordinates when already known (``FitResult/hessian``, from the same objective), else
    ///   computed here (one pass over the points with Jacobian).
    /// - Throws: ``LawfitError`` (fit) when the Hessian is not positive definite (a flat direction:
    ///   the data do not determine every parameter, use the bootstrap).
    public init(objective: BoundObjective, values: [Double], confidence: Double = 0.95, hessian: [[Double]]? = nil) throws {
        let space = objective.space
        let u = space.toInternal(values)
        let (eigen, scale) = ObjectiveHessian.scaledEigen(try hessian ?? ObjectiveHessian.gaussNewton(objective, at: u))
        guard let largest = eigen.values.last, largest > 0, eigen.values[0] > 1e-12 * largest else {
            throw LawfitError.fit("the Hessian at the optimum is not positive definite (a flat direction); Laplace intervals are undefined")
        }
        let n = objective.observed.count, p = values.count
        // Squared residuals summed in point order, block by block (no array of a long log's residuals).
        var squares = 0.0
        try objective.evaluator.predictBlocks(values, jacobian: false, threads: BlockThreads(objective.threads)) { block in
            for (k, i) in block.points.enumerated() {
                let r = try objective.spec.residual(predicted: block.predictions[k], observed: objective.observed[i])
                squares = squares + r * r
            }
        }
        guard n > p else { throw LawfitError.fit("Laplace intervals need more points (\(n)) than parameters (\(p))") }
        let sigma2 = squares / Double(n - p)
        let curvature: Double = if case .squared = objective.spec.loss { 2 } else { 1 }
        // H^-1 = S V diag(1/lambda) V^T S with S = D^-1/2 and V, lambda the scaled matrix's eigenpairs.
        var cov = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for (lambda, v) in zip(eigen.values, eigen.vectors) {
            for j in 0..<p { for k in 0..<p { cov[j][k] += curvature * sigma2 * (scale[j] * v[j]) * (scale[k] * v[k]) / lambda } }
        }
        let z = Quantile.normal(0.5 + confidence / 2)
        self.confidence = confidence
        covariance = cov
        parameters = (0..<p).map { j in
            let parameter = space.parameters[j]
            let sd = cov[j][j].squareRoot()
            return ParameterInterval(name: parameter.name, interval: Interval(
                estimate: values[j],
                lower: parameter.transform.toNatural(u[j] - z * sd),
                upper: parameter.transform.toNatural(u[j] + z * sd),
                standardError: abs(parameter.transform.derivative(atNatural: values[j])) * sd))
        }
    }

    /// Delta-method intervals for the predictions of `evaluator` (any points) at `values`.
    public func predictionIntervals(_ evaluator: any LawEvaluator, values: [Double], space: ParameterSpace) -> [Interval] {
        let (predictions, jacobian) = evaluator.predictWithJacobian(values)
        let p = values.count
        let slopes = zip(space.parameters, values).map { $0.transform.derivative(atNatural: $1) }
        let z = Quantile.normal(0.5 + confidence / 2)
        return predictions.indices.map { i in
            let g = (0..<p).map { jacobian[i * p + $0] * slopes[$0] }
            var variance = 0.0
            for j in 0..<p { for k in 0..<p { variance += g[j] * covariance[j][k] * g[k] } }
            let se = max(variance, 0).squareRoot()
            return Interval(estimate: predictions[i], lower: predictions[i] - z * se, upper: predictions[i] + z * se, standardError: se)
        }
    }
}
