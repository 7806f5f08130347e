import Foundation

/// An objective with a model of its curvature: the value at `x`; when `gradient` is non-nil, the
/// gradient; when `curvature` is non-nil, a symmetric positive semi-definite p x p matrix (row-major)
/// approximating the Hessian, such as the Gauss-Newton matrix J^T W J of a sum of (robust) squared
/// residuals. Both are asked for together or not at all. Throwing stops the minimisation.
public typealias ModelObjective = (
    _ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?,
    _ curvature: UnsafeMutableBufferPointer<Double>?
) throws -> Double

/// Levenberg-Marquardt with box constraints on an objective that supplies its gradient and a
/// Gauss-Newton curvature matrix (Levenberg 1944; Marquardt 1963; the damping update of Nielsen 1999,
/// as in Madsen, Nielsen and Tingleff, "Methods for non-linear least squares problems", 2004, Alg. 3.16).
///
/// Each iteration solves (H + lambda D) s = -g on the coordinates not held at a bound, with D the
/// largest diagonal of H seen so far (Moré 1978's scaling), projects x + s onto the box and accepts it
/// when the objective decreases. A coordinate is held when it sits at a bound and the gradient pushes
/// outward. Every trial evaluates value, gradient and curvature together (one evaluation).
///
/// A trial step whose objective is not finite, or throws (other than a cancellation), counts as a
/// failed step: the damping grows and the iteration goes on from the last accepted point. Only the
/// start must be evaluable.
///
/// It stops when an accepted step lowers the objective by at most `ftolRel` |f| while the model
/// predicted the decrease well (the Gauss-Newton step has converged), when a step changes every
/// coordinate by at most `xtolRel` (|x| + xtolRel), when the damping grows beyond any useful step
/// (round-off), or after `maxEvaluations`. Sums of squared or Huber residuals need tens of such
/// iterations where a quasi-Newton method needs hundreds of evaluations.
///
/// With ``structuredSecant`` (the default) the curvature H is augmented by a secant correction A,
/// as NL2SOL does (Dennis, Gay and Welsch 1981, "An adaptive nonlinear least-squares algorithm",
/// ACM TOMS 7, eq. 3.5 and the sizing of sec. 3): after each accepted step s with gradient change
/// y, A is updated so that (H + A) s = y, by the symmetric rank-two update of that paper, first
/// scaled down by min(1, |s^T (y - H s)| / |s^T A s|). The model of each iteration is H or H + A,
/// whichever predicted the last evaluated step's actual decrease better; a step that fails to
/// decrease the objective resets A to zero (on curved valleys a correction learned from earlier
/// steps misleads; measured in Docs/Fitting.md). A Gauss-Newton curvature
/// misses the residuals' second derivatives, and the IRLS curvature of a Huber sum overstates the
/// curvature of the points beyond delta; either makes the method converge only linearly near an
/// optimum, and the secant correction learns what the curvature misses along the directions the
/// steps take.
public struct LevenbergMarquardt: Sendable {
    public var lowerBounds: [Double]?
    public var upperBounds: [Double]?
    public var stopping: StoppingCriteria
    /// Augment the curvature by NL2SOL's structured secant correction (see the type's description).
    public var structuredSecant: Bool
    /// tau of the first damping, lambda_0 = tau max_j H_jj (Madsen, Nielsen and Tingleff 2004,
    /// sec. 3.2): ``coldStart`` by default, ``warmStart`` from a point believed close to the minimum.
    public var initialDamping: Double

    /// tau = 1e-3: the first steps are short, gradient-like ones until the model earns trust.
    public static let coldStart = 1e-3
    /// tau = 1e-6, Madsen, Nielsen and Tingleff's choice "if x0 is believed to be a good approximation
    /// to x*": the first step is nearly the Gauss-Newton step.
    public static let warmStart = 1e-6

    public init(
        lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil, stopping: StoppingCriteria = .tight, structuredSecant: Bool = true,
        initialDamping: Double = LevenbergMarquardt.coldStart
    ) {
        precondition(initialDamping > 0 && initialDamping.isFinite, "LevenbergMarquardt: the initial damping must be positive and finite")
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.stopping = stopping
        self.structuredSecant = structuredSecant
        self.initialDamping = initialDamping
    }

    /// Minimises `objective` from `start` (finite, inside the bounds).
    ///
    /// - Returns: the best point evaluated, its value, the status (``OptimizationStatus/ftolReached``,
    ///   ``OptimizationStatus/xtolReached``, ``OptimizationStatus/roundoffLimited`` or
    ///   ``OptimizationStatus/maxEvaluationsReached``) and the evaluations used.
    /// - Throws: ``OptimizationError``: `invalidArguments` for a bad start or bounds, `nonFiniteObjective`
    ///   when the objective is not finite at the start, `objectiveFailed` (with the best point so far)
    ///   when it threw at the start or `cancellation` was set (a trial step that is not finite or
    ///   throws is a failed step, not an error).
    public func minimize(from start: [Double], objective: @escaping ModelObjective) throws -> OptimizationResult {
        try minimize(from: start, cancellation: nil, objective: objective)
    }

    func minimize(from start: [Double], cancellation: CancellationFlag?, objective: ModelObjective) throws -> OptimizationResult {
        let p = start.count
        guard p >= 1 else { throw OptimizationError.invalidArguments("dimension must be at least 1, got 0") }
        let lower = lowerBounds ?? Array(repeating: -.infinity, count: p)
        let upper = upperBounds ?? Array(repeating: .infinity, count: p)
        guard lower.count == p, upper.count == p else {
            throw OptimizationError.invalidArguments("bounds need \(p) values, got \(lower.count) and \(upper.count)")
        }
        for j in 0..<p {
            guard lower[j] <= upper[j] else {
                throw OptimizationError.invalidArguments("lower bound \(lower[j]) exceeds upper bound \(upper[j]) in coordinate \(j)")
            }
            guard start[j].isFinite else {
                throw OptimizationError.invalidArguments("start coordinate \(j) is \(start[j]), not a finite number")
            }
            guard lower[j] <= start[j], start[j] <= upper[j] else {
                throw OptimizationError.invalidArguments(
                    "start coordinate \(j) = \(start[j]) lies outside its bounds [\(lower[j]), \(upper[j])]")
            }
        }
        let ftol = stopping.ftolRel ?? 0, xtol = stopping.xtolRel ?? 0
        let budget = stopping.maxEvaluations.map { max($0, 1) } ?? Int.max
        let state = State(p: p)
        var evaluations = 0
        var x = start, f = 0.0
        var best: (x: [Double], value: Double)?

        /// Value, gradient and curvature at `point` into the trial buffers.
        func evaluate(_ point: [Double]) throws -> Double {
            evaluations += 1
            if Task.isCancelled || cancellation?.isSet == true { throw CancellationError() }
            let value = try point.withUnsafeBufferPointer { try objective($0, state.trialGradient, state.trialCurvature) }
            guard value.isFinite, state.trialGradient.allSatisfy(\.isFinite), state.trialCurvature.allSatisfy(\.isFinite) else {
                throw OptimizationError.nonFiniteObjective(x: point)
            }
            if best == nil || value < best!.value { best = (point, value) }
            return value
        }

        do {
            f = try evaluate(x)
            state.acceptTrial(step: nil)
            var lambda = initialDamping * max(state.scale.max() ?? 1, 1e-300)
            var nu = 2.0
            var status = OptimizationStatus.maxEvaluationsReached
            // Whether the next step uses H + A (NL2SOL's augmented model) rather than H.
            var augmented = false
            iterations: while evaluations < budget {
                guard let (step, usedAugmented) = state.step(at: x, lower: lower, upper: upper, lambda: lambda, augmented: augmented) else {
                    // Every coordinate held at a bound with the gradient pushing outward: a constrained minimum.
                    status = .xtolReached
                    break
                }
                var trial = x
                for j in 0..<p { trial[j] = min(max(x[j] + step[j], lower[j]), upper[j]) }
                var s = [Double](repeating: 0, count: p)
                for j in 0..<p { s[j] = trial[j] - x[j] }
                let predicted = state.predictedDecrease(s, augmented: usedAugmented)
                // A projected step the model does not expect to help (or no step at all): damp more.
                guard predicted > 0, s.contains(where: { $0 != 0 }) else {
                    lambda *= nu
                    nu *= 2
                    augmented = false
                    if lambda > 1e16 * max(state.scale.max() ?? 1, 1e-300) {
                        status = .roundoffLimited
                        break
                    }
                    continue
                }
                let fTrial: Double
                do {
                    fTrial = try evaluate(trial)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // The trial left the objective's domain (a non-finite value, or a law that cannot
                    // be evaluated there) from a point where it was defined: a failed step, as in a
                    // trust-region method (Nocedal and Wright 2006, sec. 4.1): damp more and retry.
                    lambda *= nu
                    nu *= 2
                    augmented = false
                    state.resetCorrection()
                    if lambda > 1e16 * max(state.scale.max() ?? 1, 1e-300) {
                        status = .roundoffLimited
                        break
                    }
                    continue
                }
                let actual = f - fTrial
                if structuredSecant {
                    // The model that predicted this step's actual decrease better serves the next one;
                    // after a failed step neither is trusted: the correction starts again from zero.
                    let plain = usedAugmented ? state.predictedDecrease(s, augmented: false) : predicted
                    let withCorrection = usedAugmented ? predicted : state.predictedDecrease(s, augmented: true)
                    augmented = actual > 0 && abs(withCorrection - actual) < abs(plain - actual)
                    if !(actual > 0) { state.resetCorrection() }
                }
                if actual > 0 {
                    let rho = actual / predicted
                    let small = xtol > 0 && (0..<p).allSatisfy { abs(s[$0]) <= xtol * (abs(x[$0]) + xtol) }
                    x = trial
                    f = fTrial
                    state.acceptTrial(step: structuredSecant ? s : nil)
                    lambda *= max(1.0 / 3, 1 - pow(2 * rho - 1, 3))
                    nu = 2
                    if actual <= ftol * abs(f) && rho > 0.25 {
                        status = .ftolReached
                        break iterations
                    }
                    if small {
                        status = .xtolReached
                        break iterations
                    }
                } else {
                    lambda *= nu
                    nu *= 2
                    if lambda > 1e16 * max(state.scale.max() ?? 1, 1e-300) {
                        status = .roundoffLimited
                        break
                    }
                }
            }
            let result = best!
            var warnings: [String] = []
            if status == .roundoffLimited {
                warnings.append("Levenberg-Marquardt was limited by round-off; the point returned is the best found")
            }
            return OptimizationResult(x: result.x, value: result.value, status: status, evaluations: evaluations, warnings: warnings)
        } catch let error as OptimizationError {
            throw error
        } catch {
            throw OptimizationError.objectiveFailed(underlying: error, bestX: best?.x, bestValue: best?.value)
        }
    }

    /// The gradient and curvature at the current point and at the trial point, the secant
    /// correction, and the scaling D.
    private final class State {
        let p: Int
        var gradient, curvature, trialGradient, trialCurvature: UnsafeMutableBufferPointer<Double>
        /// A: NL2SOL's secant correction to the curvature (p x p, row-major, symmetric; zero at first).
        var correction: [Double]
        /// D_j: the largest curvature diagonal seen so far (Moré's scaling).
        var scale: [Double]

        init(p: Int) {
            self.p = p
            func buffer(_ size: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: size)
                b.initialize(repeating: 0)
                return b
            }
            gradient = buffer(p)
            curvature = buffer(p * p)
            trialGradient = buffer(p)
            trialCurvature = buffer(p * p)
            correction = Array(repeating: 0, count: p * p)
            scale = Array(repeating: 0, count: p)
        }

        deinit {
            for b in [gradient, curvature, trialGradient, trialCurvature] { b.deallocate() }
        }

        /// A <- 0 (the model is the curvature H alone again).
        func resetCorrection() {
            for k in correction.indices { correction[k] = 0 }
        }

        /// Makes the trial point current; `step` (the accepted step, nil at the start or without the
        /// secant correction) updates the correction first.
        func acceptTrial(step: [Double]?) {
            if let step { updateCorrection(step) }
            swap(&gradient, &trialGradient)
            swap(&curvature, &trialCurvature)
            for j in 0..<p { scale[j] = max(scale[j], curvature[j * p + j]) }
            let largest = scale.max() ?? 0
            for j in 0..<p where !(scale[j] > 1e-12 * largest) { scale[j] = max(1e-12 * largest, 1e-300) }
        }

        /// A <- tau A + the rank-two update of Dennis, Gay and Welsch (1981, eq. 3.5) that makes
        /// (H_new + A) s = y for the accepted step s, y = g_new - g_old (the trial buffers hold the
        /// new point's gradient and curvature), with NL2SOL's sizing tau = min(1, |s^T y#| / |s^T A s|),
        /// y# = y - H_new s. Skipped when y^T s <= 0 (no positive curvature along s to match).
        private func updateCorrection(_ s: [Double]) {
            var y = [Double](repeating: 0, count: p), target = [Double](repeating: 0, count: p)
            var ys = 0.0, ss = 0.0
            for i in 0..<p {
                y[i] = trialGradient[i] - gradient[i]
                var row = 0.0
                for j in 0..<p { row += trialCurvature[i * p + j] * s[j] }
                target[i] = y[i] - row  // y#
                ys += y[i] * s[i]
                ss += s[i] * s[i]
            }
            guard ys > 0, ss > 0, ys.isFinite else { return }
            var sTarget = 0.0, sAs = 0.0
            for i in 0..<p {
                sTarget += s[i] * target[i]
                var row = 0.0
                for j in 0..<p { row += correction[i * p + j] * s[j] }
                sAs += s[i] * row
            }
            if sAs != 0 {
                let tau = min(1, abs(sTarget) / abs(sAs))
                for k in correction.indices { correction[k] *= tau }
            }
            // r = y# - A s (after the sizing).
            var r = target, rs = 0.0
            for i in 0..<p {
                for j in 0..<p { r[i] -= correction[i * p + j] * s[j] }
                rs += r[i] * s[i]
            }
            for i in 0..<p {
                for j in 0..<p {
                    correction[i * p + j] += (r[i] * y[j] + y[i] * r[j]) / ys - rs * y[i] * y[j] / (ys * ys)
                }
            }
            if !correction.allSatisfy(\.isFinite) { for k in correction.indices { correction[k] = 0 } }
        }

        /// s = -(B + lambda D)^-1 g over the free coordinates (0 on held ones), B = H + A when
        /// `augmented` and that matrix is positive definite with this damping, else B = H; nil when
        /// every coordinate is held. Returns the step and whether B included A.
        func step(at x: [Double], lower: [Double], upper: [Double], lambda: Double, augmented: Bool) -> ([Double], Bool)? {
            let free = (0..<p).filter { j in
                !((x[j] <= lower[j] && gradient[j] > 0) || (x[j] >= upper[j] && gradient[j] < 0))
            }
            guard !free.isEmpty else { return nil }
            let m = free.count
            var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
            func fill(_ damping: Double, withCorrection: Bool) {
                for (r, i) in free.enumerated() {
                    b[r] = -gradient[i]
                    for (c, j) in free.enumerated() {
                        a[r * m + c] = curvature[i * p + j] + (withCorrection ? correction[i * p + j] : 0)
                    }
                    a[r * m + r] += damping * scale[i]
                }
            }
            func embed() -> [Double] {
                var s = [Double](repeating: 0, count: p)
                for (r, i) in free.enumerated() { s[i] = b[r] }
                return s
            }
            if augmented {
                fill(lambda, withCorrection: true)
                if Cholesky.solve(&a, &b, size: m) { return (embed(), true) }
            }
            var damping = lambda
            for _ in 0..<60 {
                fill(damping, withCorrection: false)
                if Cholesky.solve(&a, &b, size: m) { return (embed(), false) }
                damping = max(damping * 10, 1e-12)  // not positive definite in floating point: damp more
            }
            return (Array(repeating: 0, count: p), false)
        }

        /// The model's decrease -(g^T s + s^T B s / 2) for step s, B = H (+ A when `augmented`).
        func predictedDecrease(_ s: [Double], augmented: Bool) -> Double {
            var linear = 0.0, quadratic = 0.0
            for i in 0..<p {
                linear += gradient[i] * s[i]
                var row = 0.0
                for j in 0..<p { row += (curvature[i * p + j] + (augmented ? correction[i * p + j] : 0)) * s[j] }
                quadratic += s[i] * row
            }
            return -(linear + 0.5 * quadratic)
        }
    }
}

/// Cholesky factorisation and solve of a small dense symmetric positive-definite system.
enum Cholesky {
    /// Solves A x = b in place (A row-major, size x size; b becomes x). Returns false, leaving the
    /// arguments in an unspecified state, when A is not positive definite in floating point.
    static func solve(_ a: inout [Double], _ b: inout [Double], size m: Int) -> Bool {
        for j in 0..<m {
            var d = a[j * m + j]
            for k in 0..<j { d -= a[j * m + k] * a[j * m + k] }
            guard d > 0, d.isFinite else { return false }
            let root = d.squareRoot()
            a[j * m + j] = root
            for i in (j + 1)..<max(m, j + 1) {
                var s = a[i * m + j]
                for k in 0..<j { s -= a[i * m + k] * a[j * m + k] }
                a[i * m + j] = s / root
            }
        }
        for i in 0..<m {
            var s = b[i]
            for k in 0..<i { s -= a[i * m + k] * b[k] }
            b[i] = s / a[i * m + i]
        }
        for i in stride(from: m - 1, through: 0, by: -1) {
            var s = b[i]
            for k in (i + 1)..<max(m, i + 1) { s -= a[k * m + i] * b[k] }
            b[i] = s / a[i * m + i]
        }
        return true
    }
}
