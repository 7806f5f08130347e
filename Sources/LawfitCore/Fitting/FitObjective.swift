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
        case .huber(let delta): Self.huber(r, delta: delta).value
        case .squared: r * r
        }
    }

    /// rho'(r).
    @inlinable public func derivative(_ r: Double) -> Double {
        switch self {
        case .huber(let delta): Self.huber(r, delta: delta).slope
        case .squared: 2 * r
        }
    }

    /// Huber's rho(r) and rho'(r), the one definition every objective uses: without a branch, as
    /// slope = clamp(r, -delta, delta) and value = slope (r - slope/2), which is exactly r^2/2 inside
    /// delta (r - r/2 = r/2 without rounding) and delta (|r| - delta/2) outside. Near an optimum half
    /// of the residuals sit inside delta, and a branch on that would mispredict at random.
    @inlinable public static func huber(_ r: Double, delta: Double) -> (value: Double, slope: Double) {
        let slope = min(max(r, -delta), delta)
        return (slope * (r - 0.5 * slope), slope)
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
    /// Threads that the single passes over every point (the optimum's curvature and log-domain
    /// check, a report's statistics and intervals) may fill prediction blocks on; the values are the
    /// same bits whatever it is. ``LawFitter/fitKeepingObjective(_:)`` sets it to the fit's workers.
    public var threads = 1
    /// Where each point comes from, when known: errors about a point name its file and line.
    public var pointLocations: [SourceLocation] { locations.all }
    /// The same, looked up on demand (empty when unknown).
    let locations: PointLocations
    /// w_i; without weights, 1 for every point on the log-loss fast path (whose loop reads them as
    /// an array) and empty otherwise, so that a long log's fit holds no array of ones (``weight(at:)``).
    let pointWeights: [Double]
    /// log L_i, computed once (log space only).
    let logObserved: [Double]
    /// The evaluator, when it predicts log L directly in this space's coordinates and residuals are in log space.
    let logLossEvaluator: (any LogLossEvaluator)?

    public init(
        evaluator: any LawEvaluator, space: ParameterSpace, observed: [Double], weights: [Double]? = nil, spec: ObjectiveSpec,
        pointLocations: [SourceLocation] = []
    ) throws {
        try self.init(
            evaluator: evaluator, space: space, observed: observed, weights: weights, spec: spec, locations: PointLocations(pointLocations))
    }

    /// The objective of `evaluator` on `observed`, whose points come from `locations` (ignored unless
    /// it locates every point).
    public init(
        evaluator: any LawEvaluator, space: ParameterSpace, observed: [Double], weights: [Double]? = nil, spec: ObjectiveSpec,
        locations: PointLocations
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
            throw LawfitError.input("observed loss \(value) at \(Self.describe(point: i, locations: locations.count == observed.count ? locations : PointLocations([]))) cannot be fitted in \(spec.space) space")
        }
        self.evaluator = evaluator
        self.space = space
        self.observed = observed
        self.weights = weights
        self.locations = locations.count == observed.count ? locations : PointLocations([])
        self.spec = spec
        self.logObserved = spec.space == .log ? observed.map { Foundation.log($0) } : []
        if spec.space == .log, let fast = evaluator.logLossEvaluator,
            fast.transforms == space.parameters.map(\.transform)
        {
            self.logLossEvaluator = fast
        } else {
            self.logLossEvaluator = nil
        }
        self.pointWeights = weights ?? (logLossEvaluator == nil ? [] : Array(repeating: 1, count: observed.count))
    }

    /// w_i (1 when no weights were given).
    @inline(__always) func weight(at i: Int) -> Double { pointWeights.isEmpty ? 1 : pointWeights[i] }

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
        try evaluator.predictBlocks(space.toNatural(u), jacobian: false, threads: BlockThreads(threads)) { block in
            for (k, i) in block.points.enumerated() where !(block.predictions[k] >= Self.logDomainFloor * observed[i]) {
                let predicted = block.predictions[k]
                let reason = predicted > 0
                    ? "below \(Self.logDomainFloor) times the observed \(observed[i])" : "log-space residuals need positive predictions"
                throw LawfitError.fit("a predicted loss is \(predicted) at \(describePoint(i)): \(reason)")
            }
        }
    }

    /// "point 3 (runs.csv:4)": the point's 1-based index, and its file and line when known.
    func describePoint(_ i: Int) -> String { Self.describe(point: i, locations: locations) }

    private static func describe(point i: Int, locations: PointLocations) -> String {
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
        let workspace = Workspace(parameterCount: space.count, points: observed.count, logLoss: logLossEvaluator != nil)
        return { u, gradient in try self.evaluate(u, gradient: gradient, workspace: workspace) }
    }

    /// A closure for ``LevenbergMarquardt`` over optimiser coordinates: value, gradient and the
    /// Gauss-Newton curvature J_r^T diag(w_i rho''(r_i)) J_r of the residuals r (Huber: rho'' = 1
    /// inside delta and the IRLS weight delta/|r| outside, so that points beyond delta keep their
    /// pull on the model as iteratively reweighted least squares gives it), owning its scratch buffers.
    ///
    /// - Parameter threads: threads the evaluator may fill prediction blocks on
    ///   (``LawEvaluator/predictBlocks(_:jacobian:threads:_:)``); the values are the same bits whatever it is.
    public func makeModelObjective(threads: Int = 1) -> ModelObjective {
        let workspace = Workspace(parameterCount: space.count, points: observed.count, logLoss: logLossEvaluator != nil, threads: threads)
        return { u, gradient, curvature in try self.evaluate(u, gradient: gradient, curvature: curvature, workspace: workspace) }
    }

    /// Scratch space of one worker: per point on the log-loss fast path, else per block of
    /// ``predictionBlockSize`` points and per thread that fills blocks.
    final class Workspace {
        var theta: [Double]
        var slopes: [Double]
        /// Log-loss fast path: log Lhat and d log Lhat / du, allocated once (empty otherwise).
        let logLoss: UnsafeMutableBufferPointer<Double>
        let logJacobian: UnsafeMutableBufferPointer<Double>
        /// Log-loss fast path: w_i rho'(r_i) per point, the weights of the gradient's sum over
        /// Jacobian rows (empty otherwise).
        let residualSlopes: UnsafeMutableBufferPointer<Double>
        /// Log-loss fast path: w_i rho''(r_i) per point, the weights of the curvature's sum.
        let curvatureWeights: UnsafeMutableBufferPointer<Double>
        /// Blocks: one block's terms per thread that fills blocks (``BlockTerms``).
        let lanes: [BlockTerms]
        /// Threads the evaluator may fill prediction blocks on.
        var threads: Int { lanes.count }
        /// Counts evaluations, so that terms prepared by an earlier one are never taken for this one's.
        var pass = 0
        init(parameterCount: Int, points: Int, logLoss fast: Bool, threads: Int = 1) {
            theta = Array(repeating: 0, count: parameterCount)
            slopes = Array(repeating: 0, count: parameterCount)
            logLoss = .zeros(fast ? points : 0)
            logJacobian = .zeros(fast ? points * parameterCount : 0)
            residualSlopes = .zeros(fast ? points : 0)
            curvatureWeights = .zeros(fast ? points : 0)
            lanes = (0..<(fast ? 1 : max(1, threads))).map { _ in
                BlockTerms(points: fast ? 0 : min(points, predictionBlockSize), parameters: parameterCount)
            }
        }
        deinit {
            for buffer in [logLoss, logJacobian, residualSlopes, curvatureWeights] { buffer.deallocate() }
        }
    }

    /// One block's terms of the objective, its gradient and curvature (``prepareTerms(_:into:gradient:curvature:pass:)``),
    /// computed on the thread that filled the block and added up in block order by ``accumulate(_:total:gradient:curvature:first:workspace:)``.
    final class BlockTerms {
        /// Per point of the block: w_i rho(r_i), w_i rho'(r_i) dr_i/dLhat_i, and w_i rho''(r_i) (dr_i/dLhat_i)^2.
        let values: UnsafeMutableBufferPointer<Double>
        let slopes: UnsafeMutableBufferPointer<Double>
        let curvatureWeights: UnsafeMutableBufferPointer<Double>
        /// The block's terms of the gradient and Gauss-Newton curvature.
        let gradient: UnsafeMutableBufferPointer<Double>
        let curvature: UnsafeMutableBufferPointer<Double>
        /// The evaluation and the block (its first point) these terms are of.
        var pass = -1, start = -1
        /// The block's first point whose prediction is not finite (its terms stop there).
        var nonFinite: Int?
        init(points: Int, parameters p: Int) {
            values = .zeros(points)
            slopes = .zeros(points)
            curvatureWeights = .zeros(points)
            gradient = .zeros(p)
            curvature = .zeros(p * p)
        }
        deinit {
            for buffer in [values, slopes, curvatureWeights, gradient, curvature] { buffer.deallocate() }
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
        // Summed block by block (one block of up to predictionBlockSize points: the same operations
        // in the same order as over whole arrays), so that a long log's Jacobian is never held whole.
        // Each block's terms are computed on the thread that filled it; they are added up here, in
        // block order, so that the sums are the same bits whatever the number of threads.
        workspace.pass &+= 1
        let pass = workspace.pass, wantCurvature = curvature != nil
        let prepare: ((PredictionBlock, Int) -> Void)? = workspace.threads == 1 ? nil : { block, lane in
            self.prepareTerms(block, into: workspace.lanes[lane], gradient: gradient != nil, curvature: wantCurvature, pass: pass)
        }
        var total = 0.0
        var first = true
        try evaluator.predictBlocks(workspace.theta, jacobian: gradient != nil, threads: BlockThreads(workspace.threads, prepare: prepare)) { block in
            total = try accumulate(block, total: total, gradient: gradient, curvature: curvature, first: first, workspace: workspace)
            first = false
        }
        if let gradient {
            if first { for j in 0..<p { gradient[j] = 0 } }
            for j in 0..<p { gradient[j] *= workspace.slopes[j] }
            if let curvature {
                if first { for k in 0..<(p * p) { curvature[k] = 0 } }
                for j in 0..<p { for k in 0..<p { curvature[j * p + k] *= workspace.slopes[j] * workspace.slopes[k] } }
            }
        }
        return total
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
        // The penalty is fixed for the whole sum: pick it once, outside the loop over points
        // (``ResidualLoss/huber(_:delta:)`` has no branch, so the loop vectorises).
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
                    let huber = ResidualLoss.huber(r, delta: delta)
                    let slope = squared ? 2 * r : huber.slope
                    let value = squared ? r * r : huber.value
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
                    weights: UnsafeBufferPointer(weights), into: curvature)
            }
        }
        return total
    }

    /// H_jk = sum_i c_i J_ij J_ik (the Gauss-Newton curvature before the parameter-transform slopes).
    ///
    /// Each H_jk is two interleaved sums (even and odd i) added at the end. Row j's entries k >= j
    /// are summed in one pass over the points (p passes, not p (p + 1) / 2), each entry's sums
    /// receiving the same terms in the same order as one pass per entry would give them.
    private static func weightedGram(
        _ jacobian: UnsafeBufferPointer<Double>, _ layout: JacobianLayout, rows n: Int, columns p: Int,
        weights c: UnsafeBufferPointer<Double>, into curvature: UnsafeMutableBufferPointer<Double>
    ) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * p) { sums in
            let pointStride = layout.pointStride, parameterStride = layout.parameterStride
            for j in 0..<p {
                let width = p - j
                for k in 0..<(2 * width) { sums[k] = 0 }
                var i = 0
                while i + 1 < n {
                    let even = c[i] * jacobian[i &* pointStride &+ j &* parameterStride]
                    let odd = c[i &+ 1] * jacobian[(i &+ 1) &* pointStride &+ j &* parameterStride]
                    for k in j..<p {
                        sums[k &- j] += even * jacobian[i &* pointStride &+ k &* parameterStride]
                        sums[width &+ k &- j] += odd * jacobian[(i &+ 1) &* pointStride &+ k &* parameterStride]
                    }
                    i &+= 2
                }
                if i < n {
                    let even = c[i] * jacobian[i &* pointStride &+ j &* parameterStride]
                    for k in j..<p { sums[k &- j] += even * jacobian[i &* pointStride &+ k &* parameterStride] }
                }
                for k in j..<p {
                    let value = sums[k - j] + sums[width + k - j]
                    curvature[j * p + k] = value
                    curvature[k * p + j] = value
                }
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

    /// Computes one block's terms (``BlockTerms``): each point's penalty, slope and curvature
    /// weight, and, when `gradient` (and `curvature`) are wanted, the block's terms of the gradient
    /// and Gauss-Newton curvature, before the parameter-transform slopes. Stops at the first point
    /// whose prediction is not finite, which ``accumulate(_:total:gradient:curvature:first:workspace:)`` reports.
    private func prepareTerms(_ block: PredictionBlock, into terms: BlockTerms, gradient: Bool, curvature: Bool, pass: Int) {
        let p = space.count, offset = block.points.lowerBound, n = block.points.count
        terms.pass = pass
        terms.start = offset
        terms.nonFinite = nil
        for k in 0..<n {
            let i = offset + k
            let predicted = block.predictions[k]
            guard predicted.isFinite else {
                terms.nonFinite = i
                return
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
            let w = weight(at: i)
            terms.values[k] = w * spec.loss.value(r)
            terms.slopes[k] = w * spec.loss.derivative(r) * slope
            terms.curvatureWeights[k] = w * spec.loss.curvatureWeight(r) * slope * slope
        }
        guard gradient, let jacobian = block.jacobian else { return }
        Self.transposedProduct(
            jacobian, .pointMajor(parameters: p), rows: n, columns: p,
            times: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(terms.slopes)[0..<n]), into: terms.gradient)
        if curvature {
            Self.weightedGram(
                jacobian, .pointMajor(parameters: p), rows: n, columns: p,
                weights: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(terms.curvatureWeights)[0..<n]), into: terms.curvature)
        }
    }

    /// Adds one block's penalties to `total` (returned), in point order, and its terms of the
    /// gradient and Gauss-Newton curvature to `gradient` and `curvature` (overwritten by the `first`
    /// block), before the parameter-transform slopes, which the caller applies once at the end. The
    /// terms are the ones a filling thread prepared for this evaluation, or are prepared here.
    private func accumulate(
        _ block: PredictionBlock, total: Double, gradient: UnsafeMutableBufferPointer<Double>?,
        curvature: UnsafeMutableBufferPointer<Double>?, first: Bool, workspace: Workspace
    ) throws -> Double {
        let p = space.count, n = block.points.count
        let terms: BlockTerms
        if let prepared = workspace.lanes.first(where: { $0.pass == workspace.pass && $0.start == block.points.lowerBound }) {
            terms = prepared
        } else {
            terms = workspace.lanes[0]
            prepareTerms(block, into: terms, gradient: gradient != nil, curvature: curvature != nil, pass: workspace.pass)
        }
        if let point = terms.nonFinite {
            throw LawfitError.fit("the law's prediction is not finite at \(describePoint(point))")
        }
        var total = total
        for k in 0..<n { total += terms.values[k] }
        guard let gradient, block.jacobian != nil else { return total }
        for j in 0..<p { gradient[j] = first ? terms.gradient[j] : gradient[j] + terms.gradient[j] }
        if let curvature {
            for k in 0..<(p * p) { curvature[k] = first ? terms.curvature[k] : curvature[k] + terms.curvature[k] }
        }
        return total
    }
}

extension UnsafeMutableBufferPointer where Element == Double {
    /// A new buffer of `count` zeros (the caller deallocates it).
    fileprivate static func zeros(_ count: Int) -> Self {
        let buffer = allocate(capacity: count)
        buffer.initialize(repeating: 0)
        return buffer
    }
}
