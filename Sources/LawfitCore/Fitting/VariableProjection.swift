import Foundation
import Optimization

/// A law whose prediction is linear in some of its parameters once the others are fixed:
/// Lhat_i = sum_j c_j phi_ij(q), with the coefficients c non-negative (Chinchilla: c = (E, A, B),
/// phi = (1, N^-alpha, D^-beta), q = (alpha, beta)).
///
/// Such a law can be fitted by variable projection (Golub and Pereyra 1973): for each q the best c
/// is found exactly by non-negative least squares and the optimiser sees only q.
public protocol LinearlySeparableLaw: ScalingLaw {
    /// The indices (in ``ScalingLaw/parameterSpace`` order) of the linear coefficients, in basis
    /// order: `linearParameterIndices[j]` multiplies basis function j. Every other parameter is
    /// nonlinear and is passed to the basis in parameter-space order.
    var linearParameterIndices: [Int] { get }
    /// Binds the basis functions to the points of `runs`.
    func makeSeparableEvaluator(for runs: [Run]) throws -> any SeparableEvaluator
}

/// The basis functions phi_ij(q) of a ``LinearlySeparableLaw`` at fixed points. Must not allocate.
public protocol SeparableEvaluator: Sendable {
    /// Number of points.
    var count: Int { get }
    /// Number of basis functions (linear coefficients).
    var linearCount: Int { get }
    /// Number of nonlinear parameters.
    var nonlinearCount: Int { get }
    /// Writes phi_ij(q) row-major into `phi` (count x linearCount) and, when `derivatives` is
    /// non-nil, d phi_ij / d q_k at `(i * linearCount + j) * nonlinearCount + k`. `q` is in natural units.
    func basis(
        nonlinear q: UnsafeBufferPointer<Double>, into phi: UnsafeMutableBufferPointer<Double>,
        derivatives: UnsafeMutableBufferPointer<Double>?)
}

/// Fits a ``LinearlySeparableLaw`` by variable projection: squared error in linear loss space,
/// f(q) = min_{c >= 0} sum_i w_i (sum_j c_j phi_ij(q) - L_i)^2, minimised over the nonlinear
/// parameters q only, multi-start NLopt as in ``LawFitter``.
///
/// The gradient is exact: at the constrained minimiser c*(q) (Danskin's theorem),
/// df/dq_k = 2 sum_i w_i r_i sum_j c*_j d phi_ij / d q_k. Starts come from the nonlinear
/// parameters' start values (the grid), a Halton count over them, or the nonlinear components of
/// explicit points.
public struct VariableProjectionFitter: Sendable {
    /// The law to fit.
    public var law: any LinearlySeparableLaw
    /// Optimiser, starts (over the nonlinear parameters), seed, workers and weights.
    public var options: FitOptions

    /// - Parameter options: its objective must be squared error in linear space (the only one for
    ///   which the linear coefficients have a least-squares solution).
    public init(law: any LinearlySeparableLaw, options: FitOptions = FitOptions(objective: ObjectiveSpec(loss: .squared, space: .linear))) {
        self.law = law
        self.options = options
    }

    /// Fits the law to every observation of `runs`.
    public func fit(_ runs: [Run]) async throws -> FitResult {
        let clock = ContinuousClock.now
        guard options.objective == ObjectiveSpec(loss: .squared, space: .linear) else {
            throw LawfitError.input(
                "variable projection fits squared error in linear loss space, not \(options.objective.loss) on \(options.objective.space) residuals")
        }
        try law.validate(runs)
        let observed = try TrainingLog(runs: runs).requireLosses()
        let basis = try law.makeSeparableEvaluator(for: runs)
        let space = law.parameterSpace
        let linear = law.linearParameterIndices
        let nonlinear = space.parameters.indices.filter { !linear.contains($0) }
        guard basis.count == observed.count, basis.linearCount == linear.count, basis.nonlinearCount == nonlinear.count else {
            throw LawfitError.fit("law '\(law.name)': its separable basis does not match its parameter space")
        }
        for j in linear where space.parameters[j].lowerBound < 0 {
            throw LawfitError.fit("law '\(law.name)': linear parameter \(space.names[j]) may be negative; variable projection assumes c >= 0")
        }
        if let weights = options.weights {
            guard weights.count == observed.count, weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw LawfitError.input("weights must be \(observed.count) finite, non-negative values")
            }
        }
        let reducedSpace = ParameterSpace(nonlinear.map { space.parameters[$0] })
        let reducedStarts: [[Double]]
        switch options.starts {
        case .points(let points):
            _ = try StartPlan.points(points).points(for: space)
            reducedStarts = points.map { point in nonlinear.map { point[$0] } }
        default:
            reducedStarts = try options.starts.points(for: reducedSpace)
        }
        let problem = ProjectedProblem(basis: basis, observed: observed, weights: options.weights, space: reducedSpace)
        let lower = reducedSpace.parameters.map(\.internalBounds.lower)
        let upper = reducedSpace.parameters.map(\.internalBounds.upper)
        let starts = reducedStarts.map { point in
            zip(reducedSpace.toInternal(point), zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
        }
        let minimizer = Minimizer(
            algorithm: options.algorithm, lowerBounds: lower, upperBounds: upper, stopping: options.stopping, polish: options.polish)
        let outcomes = await MultiStart(minimizer: minimizer, workers: options.workers, seed: options.seed)
            .run(starts: starts, makeObjective: { problem.makeObjective() }, progress: options.progress)
        guard let (_, best) = MultiStart.best(of: outcomes) else {
            throw LawfitError.fit("every one of \(outcomes.count) variable-projection starts of law '\(law.name)' failed")
        }
        let q = reducedSpace.toNatural(best.x)
        let c = problem.coefficients(at: q)
        var values = [Double](repeating: 0, count: space.count)
        for (k, j) in nonlinear.enumerated() { values[j] = q[k] }
        for (k, j) in linear.enumerated() { values[j] = c[k] }

        let summaries = outcomes.map { outcome -> StartSummary in
            switch outcome.result {
            case .success(let r):
                StartSummary(index: outcome.index, objective: r.value, status: r.status.rawValue, evaluations: r.evaluations)
            case .failure(let error):
                StartSummary(index: outcome.index, objective: nil, status: "failed: \(error)", evaluations: 0)
            }
        }
        let tolerance = 1e-6 * abs(best.value) + 1e-15
        var warnings = best.warnings
        for (k, j) in linear.enumerated() where c[k] == 0 {
            warnings.append("parameter \(space.names[j]) is 0: its non-negativity constraint is active")
        }
        // Bound contacts of the optimised (nonlinear) parameters; the linear ones are reported above.
        let nonlinearNames = Set(nonlinear.map { space.names[$0] })
        warnings += BoundContact.contacts(atInternal: space.toInternal(values), in: space)
            .filter { nonlinearNames.contains($0.parameter) }.map(\.description)
        var hessian: [[Double]]?
        if !c.contains(0) {
            let full = try BoundObjective(
                evaluator: try law.makeEvaluator(for: runs), space: space, observed: observed,
                weights: options.weights, spec: options.objective)
            hessian = try? ObjectiveHessian.gaussNewton(full, at: space.toInternal(values))
            warnings += hessian.map { LawFitter.flatDirectionWarnings($0, names: space.names) }
                ?? ["the Hessian at the optimum could not be computed"]
        }
        let failed = summaries.filter { $0.objective == nil }.count
        if failed > 0 { warnings.append("\(failed) of \(summaries.count) starts failed (see starts)") }
        let elapsed = ContinuousClock.now - clock
        var result = FitResult(
            law: law.name, parameterNames: space.names, values: values, objective: best.value,
            converged: best.status.converged, objectiveSpec: options.objective,
            algorithm: "variable projection (NNLS + \(minimizer.description))", points: observed.count, starts: summaries,
            startsInBestBasin: summaries.filter { ($0.objective.map { abs($0 - best.value) <= tolerance }) ?? false }.count,
            evaluations: summaries.reduce(0) { $0 + $1.evaluations },
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            warnings: warnings, hessian: hessian)
        result.everyBoundContacts = result.everyParameterAtBound(in: space)
        return result
    }
}

/// The reduced problem f(q) of variable projection, bound to data.
struct ProjectedProblem: Sendable {
    let basis: any SeparableEvaluator
    let observed: [Double]
    let weights: [Double]?
    let space: ParameterSpace

    /// The optimal coefficients c*(q) for natural nonlinear values `q`.
    func coefficients(at q: [Double]) -> [Double] {
        let workspace = Workspace(basis: basis, observed: observed, weights: weights)
        return q.withUnsafeBufferPointer { qb in
            _ = value(qb, gradient: nil, workspace: workspace)
            return Array(workspace.coefficients)
        }
    }

    /// A closure for NLopt over the optimiser's coordinates of q, owning its scratch space.
    func makeObjective() -> Objective {
        let workspace = Workspace(basis: basis, observed: observed, weights: weights)
        let p = space.count
        let transforms = space.parameters.map(\.transform)
        return { u, gradient in
            for k in 0..<p { workspace.q[k] = transforms[k].toNatural(u[k]) }
            let f = workspace.q.withUnsafeBufferPointer { self.value($0, gradient: gradient, workspace: workspace) }
            if let gradient {
                for k in 0..<p { gradient[k] *= transforms[k].derivative(atNatural: workspace.q[k]) }
            }
            return f
        }
    }

    /// f(q) and, when asked, df/dq (natural units).
    private func value(_ q: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?, workspace: Workspace) -> Double {
        let n = basis.count, m = basis.linearCount, p = basis.nonlinearCount
        basis.basis(nonlinear: q, into: workspace.phi, derivatives: gradient == nil ? nil : workspace.derivatives)
        for i in 0..<n {
            let s = weights.map { $0[i].squareRoot() } ?? 1
            for j in 0..<m { workspace.weighted[i * m + j] = s * workspace.phi[i * m + j] }
            workspace.target[i] = s * observed[i]
        }
        workspace.solver.solve(
            matrix: UnsafeBufferPointer(workspace.weighted), target: UnsafeBufferPointer(workspace.target),
            solution: workspace.coefficients)
        var total = 0.0
        if let gradient { for k in 0..<p { gradient[k] = 0 } }
        for i in 0..<n {
            var predicted = 0.0
            for j in 0..<m { predicted += workspace.coefficients[j] * workspace.phi[i * m + j] }
            let r = predicted - observed[i]
            let w = weights?[i] ?? 1
            total += w * r * r
            guard let gradient else { continue }
            for j in 0..<m where workspace.coefficients[j] != 0 {
                let scale = 2 * w * r * workspace.coefficients[j]
                let base = (i * m + j) * p
                for k in 0..<p { gradient[k] += scale * workspace.derivatives[base + k] }
            }
        }
        return total
    }

    /// Scratch buffers of one worker.
    final class Workspace {
        let phi, weighted, derivatives, target, coefficients: UnsafeMutableBufferPointer<Double>
        var q: [Double]
        let solver: NonNegativeLeastSquares

        init(basis: any SeparableEvaluator, observed: [Double], weights: [Double]?) {
            let n = basis.count, m = basis.linearCount, p = basis.nonlinearCount
            func buffer(_ size: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(size, 1))
                b.initialize(repeating: 0)
                return b
            }
            phi = buffer(n * m)
            weighted = buffer(n * m)
            derivatives = buffer(n * m * p)
            target = buffer(n)
            coefficients = buffer(m)
            q = [Double](repeating: 0, count: p)
            solver = NonNegativeLeastSquares(rows: n, columns: m)
        }

        deinit {
            for b in [phi, weighted, derivatives, target, coefficients] { b.deallocate() }
        }
    }
}
