import Foundation
import Optimization

/// Where residuals are measured.
public enum LossSpace: String, Sendable, Hashable, Codable, CaseIterable {
    /// r = log Lhat - log L: the field's convention (Hoffmann et al. 2022; Epoch AI 2024; Luo et al. 2025).
    case log
    /// r = Lhat - L.
    case linear
}

/// The penalty on one residual. The objective is always a SUM over points, never a mean.
public enum ResidualLoss: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Huber: r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond (scipy.special.huber, as Epoch AI uses).
    case huber(delta: Double)
    /// Squared error r^2.
    case squared

    /// rho(r).
    @inlinable public func value(_ r: Double) -> Double {
        switch self {
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta)
        case .squared:
            return r * r
        }
    }

    /// rho'(r).
    @inlinable public func derivative(_ r: Double) -> Double {
        switch self {
        case .huber(let delta):
            return abs(r) <= delta ? r : (r > 0 ? delta : -delta)
        case .squared:
            return 2 * r
        }
    }

    /// The weight of a residual in a Gauss-Newton curvature model: rho''(r) for squared error (2)
    /// and inside Huber's delta (1); beyond delta, where rho'' = 0, the IRLS weight rho'(r)/r = delta/|r|
    /// (Huber 1981, Sec. 7.8), so that outlying points still shape the model.
    @inlinable public func curvatureWeight(_ r: Double) -> Double {
        switch self {
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? 1 : delta / a
        case .squared:
            return 2
        }
    }

    public var description: String {
        switch self {
        case .huber(let delta): "huber(delta=\(delta))"
        case .squared: "squared"
        }
    }
}

/// How observations are compared with predictions: f(theta) = sum_i w_i rho(r_i(theta)).
public struct ObjectiveSpec: Sendable, Hashable {
    public var loss: ResidualLoss
    public var space: LossSpace

    public init(loss: ResidualLoss = .huber(delta: 1e-3), space: LossSpace = .log) {
        self.loss = loss
        self.space = space
    }

    /// The residual of one prediction. - Throws when a log-space prediction is not positive.
    @inlinable public func residual(predicted: Double, observed: Double) throws -> Double {
        switch space {
        case .linear:
            return predicted - observed
        case .log:
            guard predicted > 0 else {
                throw LawfitError.fit("a predicted loss is \(predicted): log-space residuals need positive predictions")
            }
            return Foundation.log(predicted) - Foundation.log(observed)
        }
    }
}

/// A law's objective bound to data: the function NLopt minimises, over the optimiser's coordinates
/// (each parameter through its ``ParameterTransform``).
///
/// f(u) = sum_i w_i rho(r_i(theta(u))); with an analytic law gradient,
/// df/du_j = sum_i w_i rho'(r_i) (dr_i/dLhat_i) J_ij dtheta_j/du_j.
/// Log-space residuals of a ``LogLossEvaluator`` skip natural units altogether:
/// r_i = log Lhat_i(u) - log L_i and df/du_j = sum_i w_i rho'(r_i) d log Lhat_i / du_j.
public struct BoundObjective: Sendable {
    public let evaluator: any LawEvaluator
    public let space: ParameterSpace
    public let observed: [Double]
    public let weights: [Double]?
    public let spec: ObjectiveSpec
    /// Where each point comes from, when known: errors about a point name its file and line.
    public let pointLocations: [SourceLocation]
    /// w_i, or 1 for every point when no weights were given.
    let pointWeights: [Double]
    /// log L_i, computed once (log space only).
    let logObserved: [Double]
    /// The evaluator, when it predicts log L directly in this space's coordinates and residuals are in log space.
    let logLossEvaluator: (any LogLossEvaluator)?

    public init(
        evaluator: any LawEvaluator, space: ParameterSpace, observed: [Double], weights: [Double]? = nil, spec: ObjectiveSpec,
        pointLocations: [SourceLocation] = []
    ) throws {
        guard evaluator.count == observed.count else {
            throw LawfitError.fit("the law predicts \(evaluator.count) points but \(observed.count) losses were given")
        }
        guard evaluator.parameterCount == space.count else {
            throw LawfitError.fit("the evaluator takes \(evaluator.parameterCount) parameters but the space has \(space.count)")
        }
        if let weights {
            guard weights.count == observed.count else {
                throw LawfitError.input("\(weights.count) weights for \(observed.count) points")
            }
            guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw LawfitError.input("weights must be finite and non-negative")
            }
        }
        for (i, value) in observed.enumerated() where !(value.isFinite && (spec.space == .linear || value > 0)) {
            throw LawfitError.input("observed loss \(value) at \(Self.describe(point: i, locations: pointLocations.count == observed.count ? pointLocations : [])) cannot be fitted in \(spec.space) space")
        }
        self.evaluator = evaluator
        self.space = space
        self.observed = observed
        self.weights = weights
        self.pointLocations = pointLocations.count == observed.count ? pointLocations : []
        self.pointWeights = weights ?? Array(repeating: 1, count: observed.count)
        self.spec = spec
        self.logObserved = spec.space == .log ? observed.map { Foundation.log($0) } : []
        if spec.space == .log, let fast = evaluator as? any LogLossEvaluator,
            fast.transforms == space.parameters.map(\.transform)
        {
            self.logLossEvaluator = fast
        } else {
            self.logLossEvaluator = nil
        }
    }

    /// Log-space residuals of natural-unit predictions below this fraction tau of the observed loss
    /// are continued linearly, r = log(tau) + (Lhat - tau L) / (tau L), matching log's value and slope
    /// at tau L. The objective stays finite and smooth where a line search overshoots into Lhat <= 0,
    /// so the search steps back instead of the start failing; no fit is accepted with a prediction
    /// there (``requireLogDomain(atInternal:)``). tau = 1e-30 leaves every prediction within 30
    /// decades of its observation on the exact log residual.
    static let logDomainFloor = 1e-30

    /// Throws, naming the first such point, when a log-space residual at optimiser coordinates `u`
    /// is on the continuation below ``logDomainFloor``: in practice, a prediction that is not positive.
    func requireLogDomain(atInternal u: [Double]) throws {
        guard spec.space == .log, logLossEvaluator == nil else { return }
        var predictions = [Double](repeating: 0, count: observed.count)
        var none: [Double]? = nil
        evaluator.predict(space.toNatural(u), into: &predictions, jacobian: &none)
        for (i, predicted) in predictions.enumerated() where !(predicted >= Self.logDomainFloor * observed[i]) {
            let reason = predicted > 0
                ? "below \(Self.logDomainFloor) times the observed \(observed[i])" : "log-space residuals need positive predictions"
            throw LawfitError.fit("a predicted loss is \(predicted) at \(describePoint(i)): \(reason)")
        }
    }

    /// "point 3 (runs.csv:4)": the point's 1-based index, and its file and line when known.
    func describePoint(_ i: Int) -> String { Self.describe(point: i, locations: pointLocations) }

    private static func describe(point i: Int, locations: [SourceLocation]) -> String {
        i < locations.count ? "point \(i + 1) (\(locations[i]))" : "point \(i + 1)"
    }

    /// Objective at natural parameter values (no gradient).
    public func value(atNatural theta: [Double]) throws -> Double {
        let u = space.toInternal(theta)
        let evaluate = makeNLoptObjective()
        return try u.withUnsafeBufferPointer { try evaluate($0, nil) }
    }

    /// A closure for NLopt over optimiser coordinates, owning its scratch buffers (one per worker).
    public func makeNLoptObjective() -> (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?) throws -> Double {
        let workspace = Workspace(parameterCount: space.count, points: observed.count)
        return { u, gradient in try self.evaluate(u, gradient: gradient, workspace: workspace) }
    }

    /// A closure for ``LevenbergMarquardt`` over optimiser coordinates: value, gradient and the
    /// Gauss-Newton curvature J_r^T diag(w_i rho''(r_i)) J_r of the residuals r (Huber: rho'' = 1
    /// inside delta and the IRLS weight delta/|r| outside, so that points beyond delta keep their
    /// pull on the model as iteratively reweighted least squares gives it), owning its scratch buffers.
    public func makeModelObjective() -> ModelObjective {
        let workspace = Workspace(parameterCount: space.count, points: observed.count)
        return { u, gradient, curvature in try self.evaluate(u, gradient: gradient, curvature: curvature, workspace: workspace) }
    }

    final class Workspace {
        var theta: [Double]
        var slopes: [Double]
        var predictions: [Double] = []
        var jacobian: [Double]? = []
        var denseJacobian: [Double] = []
        /// Log-loss fast path: log Lhat and d log Lhat / du, allocated once.
        let logLoss: UnsafeMutableBufferPointer<Double>
        let logJacobian: UnsafeMutableBufferPointer<Double>
        /// w_i rho'(r_i) per point, the weights of the gradient's sum over Jacobian rows.
        let residualSlopes: UnsafeMutableBufferPointer<Double>
        /// w_i rho''(r_i) (dr_i/dLhat_i)^2 per point, the weights of the curvature's sum.
        let curvatureWeights: UnsafeMutableBufferPointer<Double>
        init(parameterCount: Int, points: Int) {
            theta = Array(repeating: 0, count: parameterCount)
            slopes = Array(repeating: 0, count: parameterCount)
            logLoss = .allocate(capacity: points)
            logLoss.initialize(repeating: 0)
            logJacobian = .allocate(capacity: points * parameterCount)
            logJacobian.initialize(repeating: 0)
            residualSlopes = .allocate(capacity: points)
            residualSlopes.initialize(repeating: 0)
            curvatureWeights = .allocate(capacity: points)
            curvatureWeights.initialize(repeating: 0)
        }
        deinit {
            logLoss.deallocate()
            logJacobian.deallocate()
            residualSlopes.deallocate()
            curvatureWeights.deallocate()
        }
    }

    func evaluate(_ u: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?, workspace: Workspace) throws -> Double {
        try evaluate(u, gradient: gradient, curvature: nil, workspace: workspace)
    }

    func evaluate(
        _ u: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?, curvature: UnsafeMutableBufferPointer<Double>?,
        workspace: Workspace
    ) throws -> Double {
        if let fast = logLossEvaluator {
            return try logSpaceSum(fast, u, gradient: gradient, curvature: curvature, workspace: workspace)
        }
        let p = space.count
        for j in 0..<p {
            let transform = space.parameters[j].transform
            let natural = transform.toNatural(u[j])
            workspace.theta[j] = natural
            workspace.slopes[j] = transform.derivative(atNatural: natural)
        }
        guard let gradient else {
            var none: [Double]? = nil
            evaluator.predict(workspace.theta, into: &workspace.predictions, jacobian: &none)
            return try sum(predictions: workspace.predictions, jacobian: nil, thetaSlopes: nil, gradient: nil, curvature: nil, workspace: workspace)
        }
        if evaluator.hasAnalyticGradient {
            evaluator.predict(workspace.theta, into: &workspace.predictions, jacobian: &workspace.jacobian)
            return try sum(
                predictions: workspace.predictions, jacobian: workspace.jacobian!, thetaSlopes: workspace.slopes, gradient: gradient,
                curvature: curvature, workspace: workspace)
        }
        evaluator.finiteDifferenceJacobian(workspace.theta, into: &workspace.predictions, jacobian: &workspace.denseJacobian)
        return try sum(
            predictions: workspace.predictions, jacobian: workspace.denseJacobian, thetaSlopes: workspace.slopes, gradient: gradient,
            curvature: curvature, workspace: workspace)
    }

    /// The log-space objective from log predictions: no allocation, no natural-unit round trip.
    private func logSpaceSum(
        _ fast: any LogLossEvaluator, _ u: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
        curvature: UnsafeMutableBufferPointer<Double>?, workspace: Workspace
    ) throws -> Double {
        let p = space.count, n = observed.count
        let logLoss = workspace.logLoss
        let jacobian = gradient == nil ? nil : workspace.logJacobian
        fast.predictLogLoss(internal: u, into: logLoss, jacobian: jacobian)
        let slopes = workspace.residualSlopes
        var total = 0.0
        // The penalty is fixed for the whole sum: pick it once, outside the loop over points. Huber
        // is computed without a branch, as slope = clamp(r, -delta, delta) and value = slope (r - slope/2)
        // (exactly r^2/2 inside, delta (|r| - delta/2) outside): near an optimum half of the residuals
        // sit inside delta, and a branch on that mispredicts at random.
        let squared = spec.loss == .squared
        let delta: Double
        switch spec.loss {
        case .huber(let d): delta = d
        case .squared: delta = .infinity
        }
        // No exit inside the loop, so it vectorises: a non-finite residual makes the total non-finite
        // (clamped slopes stay finite), and only then is the first such point looked up.
        logObserved.withUnsafeBufferPointer { logObserved in
            pointWeights.withUnsafeBufferPointer { weights in
                for i in 0..<n {
                    let r = logLoss[i] - logObserved[i]
                    let slope = squared ? 2 * r : min(max(r, -delta), delta)
                    let value = squared ? r * r : slope * (r - 0.5 * slope)
                    total += weights[i] * value
                    slopes[i] = weights[i] * slope
                }
            }
        }
        guard total.isFinite else {
            guard let point = (0..<n).first(where: { !(logLoss[$0] - logObserved[$0]).isFinite }) else {
                throw LawfitError.fit("the objective overflows: the residuals are finite but their weighted sum is not")
            }
            throw LawfitError.fit("the law's prediction is not finite at \(describePoint(point))")
        }
        if let gradient, let jacobian {
            Self.transposedProduct(UnsafeBufferPointer(jacobian), .parameterMajor(points: n), rows: n, columns: p, times: UnsafeBufferPointer(slopes), into: gradient)
            if let curvature {
                let weights = workspace.curvatureWeights
                for i in 0..<n {
                    let r = logLoss[i] - logObserved[i]
                    weights[i] = pointWeights[i] * spec.loss.curvatureWeight(r)
                }
                Self.weightedGram(
                    UnsafeBufferPointer(jacobian), .parameterMajor(points: n), rows: n, columns: p,
                    weights: UnsafeBufferPointer(weights), scales: nil, into: curvature)
            }
        }
        return total
    }

    /// H_jk = s_j s_k sum_i c_i J_ij J_ik (the Gauss-Newton curvature; s: parameter-transform slopes, or 1).
    private static func weightedGram(
        _ jacobian: UnsafeBufferPointer<Double>, _ layout: JacobianLayout, rows n: Int, columns p: Int,
        weights c: UnsafeBufferPointer<Double>, scales: [Double]?, into curvature: UnsafeMutableBufferPointer<Double>
    ) {
        for j in 0..<p {
            for k in j..<p {
                var s0 = 0.0, s1 = 0.0
                var i = 0
                while i + 1 < n {
                    s0 += c[i] * jacobian[i &* layout.pointStride &+ j &* layout.parameterStride]
                        * jacobian[i &* layout.pointStride &+ k &* layout.parameterStride]
                    s1 += c[i &+ 1] * jacobian[(i &+ 1) &* layout.pointStride &+ j &* layout.parameterStride]
                        * jacobian[(i &+ 1) &* layout.pointStride &+ k &* layout.parameterStride]
                    i &+= 2
                }
                if i < n {
                    s0 += c[i] * jacobian[i &* layout.pointStride &+ j &* layout.parameterStride]
                        * jacobian[i &* layout.pointStride &+ k &* layout.parameterStride]
                }
                let value = (s0 + s1) * (scales.map { $0[j] * $0[k] } ?? 1)
                curvature[j * p + k] = value
                curvature[k * p + j] = value
            }
        }
    }

    /// How a Jacobian is laid out: J_ij at `i * pointStride + j * parameterStride`.
    struct JacobianLayout {
        let pointStride: Int, parameterStride: Int
        /// ``LawEvaluator``'s rows, one per point.
        static func pointMajor(parameters p: Int) -> Self { Self(pointStride: p, parameterStride: 1) }
        /// ``LogLossEvaluator``'s columns, one per parameter.
        static func parameterMajor(points n: Int) -> Self { Self(pointStride: 1, parameterStride: n) }
    }

    /// gradient_j = sum_i J_ij c_i, one parameter at a time into four interleaved local sums, because
    /// one running sum makes every addition wait for the previous one (and accumulating in
    /// `gradient` itself goes through memory).
    private static func transposedProduct(
        _ jacobian: UnsafeBufferPointer<Double>, _ layout: JacobianLayout, rows n: Int, columns p: Int,
        times c: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>
    ) {
        guard n > 0, let base = jacobian.baseAddress else {
            for j in 0..<p { gradient[j] = 0 }
            return
        }
        let blocked = n - n % 4
        let stride = layout.pointStride
        for j in 0..<p {
            let column = base + j &* layout.parameterStride
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            var i = 0
            while i < blocked {
                s0 += column[i &* stride] * c[i]
                s1 += column[(i &+ 1) &* stride] * c[i &+ 1]
                s2 += column[(i &+ 2) &* stride] * c[i &+ 2]
                s3 += column[(i &+ 3) &* stride] * c[i &+ 3]
                i &+= 4
            }
            while i < n {
                s0 += column[i &* stride] * c[i]
                i &+= 1
            }
            gradient[j] = (s0 + s1) + (s2 + s3)
        }
    }

    private func sum(
        predictions: [Double], jacobian: [Double]?, thetaSlopes: [Double]?, gradient: UnsafeMutableBufferPointer<Double>?,
        curvature: UnsafeMutableBufferPointer<Double>?, workspace: Workspace
    ) throws -> Double {
        let p = space.count, n = observed.count
        let slopes = workspace.residualSlopes, curvatureWeights = workspace.curvatureWeights
        var total = 0.0
        for i in 0..<n {
            let predicted = predictions[i]
            guard predicted.isFinite else {
                throw LawfitError.fit("the law's prediction is not finite at \(describePoint(i))")
            }
            let r: Double, slope: Double
            switch spec.space {
            case .linear:
                r = predicted - observed[i]
                slope = 1
            case .log:
                let floor = Self.logDomainFloor * observed[i]
                if predicted >= floor {
                    r = Foundation.log(predicted) - logObserved[i]
                    slope = 1 / predicted
                } else {
                    // Continued linearly below the floor (value and slope match there): a line search
                    // that overshoots into non-positive predictions sees a large finite penalty and
                    // steps back, instead of the start failing.
                    r = Foundation.log(Self.logDomainFloor) + (predicted - floor) / floor
                    slope = 1 / floor
                }
            }
            let w = pointWeights[i]
            total += w * spec.loss.value(r)
            slopes[i] = w * spec.loss.derivative(r) * slope
            curvatureWeights[i] = w * spec.loss.curvatureWeight(r) * slope * slope
        }
        if let gradient, let jacobian {
            jacobian.withUnsafeBufferPointer {
                Self.transposedProduct($0, .pointMajor(parameters: p), rows: n, columns: p, times: UnsafeBufferPointer(slopes), into: gradient)
                if let curvature {
                    Self.weightedGram(
                        $0, .pointMajor(parameters: p), rows: n, columns: p, weights: UnsafeBufferPointer(curvatureWeights),
                        scales: thetaSlopes, into: curvature)
                }
            }
            if let thetaSlopes { for j in 0..<p { gradient[j] *= thetaSlopes[j] } }
        }
        return total
    }
}
