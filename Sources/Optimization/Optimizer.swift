import CNLopt

/// An objective: the value at `x`, and when `gradient` is non-nil (gradient-based algorithms), the
/// gradient written into it. Throwing stops the optimiser; the error is rethrown with the best point.
public typealias Objective = (_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) throws -> Double

/// One NLopt optimiser (`nlopt_opt`) for a fixed algorithm and dimension.
///
/// Not thread-safe: use one per task (``MultiStart`` does). The `nlopt_opt` is destroyed with the
/// optimiser.
public final class Optimizer {
    public let algorithm: Algorithm
    public let dimension: Int
    let handle: OpaquePointer
    /// The bounds last set (none: unbounded), kept to check starts before NLopt sees them.
    private var lower: [Double]?
    private var upper: [Double]?

    /// Creates an optimiser. - Throws: ``OptimizationError/invalidArguments(_:)`` for dimension < 1.
    public init(algorithm: Algorithm, dimension: Int) throws {
        guard dimension >= 1 else { throw OptimizationError.invalidArguments("dimension must be at least 1, got \(dimension)") }
        guard let handle = nlopt_create(algorithm.raw, UInt32(dimension)) else { throw OptimizationError.outOfMemory }
        self.algorithm = algorithm
        self.dimension = dimension
        self.handle = handle
        try check(nlopt_set_vector_storage(handle, UInt32(Self.defaultVectorStorage(dimension: dimension))))
    }

    deinit { nlopt_destroy(handle) }

    /// The number M of past gradients the limited-memory algorithms (L-BFGS, VAR1/VAR2, TNEWTON)
    /// keep (`nlopt_set_vector_storage`); 0 restores NLopt's own choice.
    ///
    /// NLopt's choice for L-BFGS is M = min(maxeval, 1,310,720 / n): for Chinchilla's 5 parameters and
    /// 5000 evaluations a 480 kB workspace that every minimisation allocates and zeroes. A block that
    /// large can come from a fresh mmap (glibc's threshold starts at 128 kB, and `lawfit` once fixed
    /// it there): each of the 4500 starts of Chinchilla's grid then paid about 50 page faults, 0.5 of
    /// 1.7 CPU seconds.
    /// An optimiser starts with ``defaultVectorStorage(dimension:)`` instead.
    public var vectorStorage: Int {
        get { Int(nlopt_get_vector_storage(handle)) }
        set { _ = nlopt_set_vector_storage(handle, UInt32(clamping: max(newValue, 0))) }
    }

    /// The largest M whose L-BFGS workspace, 8 (4n + 2nM + 2M) bytes in NLopt's `luksan_plis`, stays
    /// under 128 kB (glibc's default mmap threshold), and at least 10 (NLopt's own minimum): 1362 for
    /// n = 5, 79 for n = 100. M only bounds the history, never the iterations: a minimisation that
    /// runs fewer than M iterations takes exactly the steps it takes under NLopt's larger default.
    public static func defaultVectorStorage(dimension n: Int) -> Int {
        let budget = 128 * 1024 / 8 - 16  // doubles, less a margin for malloc's chunk header
        return max(10, (budget - 4 * n) / (2 * n + 2))
    }

    /// Sets lower and upper bounds (`-infinity`/`+infinity` for none).
    public func setBounds(lower: [Double], upper: [Double]) throws {
        guard lower.count == dimension, upper.count == dimension else {
            throw OptimizationError.invalidArguments("bounds need \(dimension) values, got \(lower.count) and \(upper.count)")
        }
        for i in 0..<dimension where !(lower[i] <= upper[i]) {
            throw OptimizationError.invalidArguments("lower bound \(lower[i]) exceeds upper bound \(upper[i]) in coordinate \(i)")
        }
        try check(nlopt_set_lower_bounds(handle, lower))
        try check(nlopt_set_upper_bounds(handle, upper))
        self.lower = lower
        self.upper = upper
    }

    /// Applies stopping criteria.
    public func setStopping(_ criteria: StoppingCriteria) throws {
        if let v = criteria.ftolRel { try check(nlopt_set_ftol_rel(handle, v)) }
        if let v = criteria.ftolAbs { try check(nlopt_set_ftol_abs(handle, v)) }
        if let v = criteria.xtolRel { try check(nlopt_set_xtol_rel(handle, v)) }
        if let v = criteria.xtolAbs { try check(nlopt_set_xtol_abs1(handle, v)) }
        if let v = criteria.stopValue { try check(nlopt_set_stopval(handle, v)) }
        if let v = criteria.maxEvaluations { try check(nlopt_set_maxeval(handle, Int32(clamping: v))) }
        if let v = criteria.maxTime { try check(nlopt_set_maxtime(handle, v)) }
    }

    /// Sets the subsidiary local optimiser of MLSL or AUGLAG.
    public func setLocalOptimizer(_ algorithm: Algorithm, stopping: StoppingCriteria) throws {
        let local = try Optimizer(algorithm: algorithm, dimension: dimension)
        try local.setStopping(stopping)
        try check(nlopt_set_local_optimizer(handle, local.handle))
    }

    /// Sets the population of a stochastic global algorithm (CRS2, ISRES, MLSL); 0 = NLopt's default.
    public func setPopulation(_ size: Int) throws {
        try check(nlopt_set_population(handle, UInt32(clamping: max(size, 0))))
    }

    /// Minimises `objective` from `start`.
    ///
    /// The start must be finite and, when bounds are set, inside them: a start outside the bounds is
    /// an error, never silently clamped (NLopt 2.7.1 would also refuse it, with INVALID_ARGS and
    /// "bounds 0 fail -1 <= 2 <= 1"). A global algorithm needs finite bounds in every coordinate.
    ///
    /// - Returns: the best point evaluated, its value, the status and the number of evaluations.
    ///   ROUNDOFF_LIMITED and NLopt's generic FAILURE after at least one evaluation (``OptimizationStatus/stalled``)
    ///   return their point with a warning.
    /// - Throws: ``OptimizationError``: `objectiveFailed` (with the best point so far) when the
    ///   objective threw or the task was cancelled, `nonFiniteObjective` when it returned NaN or an
    ///   infinity, `invalidArguments` for a bad start or bounds (checked before NLopt runs),
    ///   `outOfMemory` or `failure` with NLopt's message otherwise.
    public func minimize(from start: [Double], objective: @escaping Objective) throws -> OptimizationResult {
        try minimize(from: start, cancellation: nil, objective: objective)
    }

    /// ``minimize(from:objective:)`` that also stops, like a cancelled task, once `cancellation` is set
    /// (for runs on threads outside any task, as ``MultiStart``'s workers are).
    func minimize(from start: [Double], cancellation: CancellationFlag?, objective: @escaping Objective) throws -> OptimizationResult {
        try validate(start: start)
        let box = ObjectiveBox(objective: objective, handle: handle, cancellation: cancellation)
        let callback: nlopt_func = { n, x, gradient, data in
            let box = Unmanaged<ObjectiveBox>.fromOpaque(data!).takeUnretainedValue()
            return box.evaluate(
                UnsafeBufferPointer(start: x, count: Int(n)),
                gradient.map { UnsafeMutableBufferPointer(start: $0, count: Int(n)) })
        }
        let result: nlopt_result = try withExtendedLifetime(box) {
            try check(nlopt_set_min_objective(handle, callback, Unmanaged.passUnretained(box).toOpaque()))
            var x = start
            var value = Double.nan
            return nlopt_optimize(handle, &x, &value)
        }
        if let error = box.error {
            if let error = error as? OptimizationError { throw error }
            throw OptimizationError.objectiveFailed(underlying: error, bestX: box.bestX, bestValue: box.bestValue)
        }
        guard let status = OptimizationStatus(result) else {
            try check(result)
            throw OptimizationError.failure("unexpected NLopt result \(result.rawValue)")
        }
        // NLopt returns the best point it evaluated; the box tracked the same, exactly.
        guard let bestX = box.bestX else {
            throw OptimizationError.failure("NLopt stopped before evaluating the objective")
        }
        var warnings: [String] = []
        switch status {
        case .roundoffLimited:
            warnings.append("\(algorithm.name) was limited by round-off; the point returned is the best found")
        case .stalled:
            warnings.append(
                "\(algorithm.name) stopped with NLopt's generic failure (for L-BFGS: a line search without "
                    + "decrease, from round-off or an inexact gradient); the point returned is the best found")
        default:
            break
        }
        return OptimizationResult(x: bestX, value: box.bestValue, status: status, evaluations: box.evaluations, warnings: warnings)
    }

    /// Checks the start's dimension, finiteness and bounds, and that a global algorithm has finite bounds.
    private func validate(start: [Double]) throws {
        guard start.count == dimension else {
            throw OptimizationError.invalidArguments("the start has \(start.count) coordinates, the problem \(dimension)")
        }
        if let i = start.firstIndex(where: { !$0.isFinite }) {
            throw OptimizationError.invalidArguments("start coordinate \(i) is \(start[i]), not a finite number")
        }
        if let lower, let upper {
            for i in 0..<dimension where !(lower[i] <= start[i] && start[i] <= upper[i]) {
                throw OptimizationError.invalidArguments(
                    "start coordinate \(i) = \(start[i]) lies outside its bounds [\(lower[i]), \(upper[i])]")
            }
        }
        if algorithm.isGlobal {
            let finite = (lower ?? []).allSatisfy(\.isFinite) && (upper ?? []).allSatisfy(\.isFinite)
            guard lower != nil, upper != nil, finite else {
                throw OptimizationError.invalidArguments(
                    "\(algorithm.name) is a global algorithm and needs finite lower and upper bounds in every coordinate")
            }
        }
    }

    /// Maps a failing `nlopt_result` to an error carrying NLopt's message.
    func check(_ result: nlopt_result) throws {
        guard result.rawValue < 0 else { return }
        let message = nlopt_get_errmsg(handle).map { String(cString: $0) } ?? ""
        switch result {
        case NLOPT_INVALID_ARGS: throw OptimizationError.invalidArguments(message.isEmpty ? "invalid arguments" : message)
        case NLOPT_OUT_OF_MEMORY: throw OptimizationError.outOfMemory
        case NLOPT_ROUNDOFF_LIMITED, NLOPT_FORCED_STOP: return
        default: throw OptimizationError.failure(message.isEmpty ? "NLopt result \(result.rawValue)" : message)
        }
    }
}

/// Carries the Swift objective through NLopt's `f_data`, records the best point, and turns Swift
/// errors into a forced stop (errors must not unwind through C).
private final class ObjectiveBox {
    let objective: Objective
    let handle: OpaquePointer
    let cancellation: CancellationFlag?
    var error: (any Error)?
    var bestX: [Double]?
    var bestValue = Double.infinity
    var evaluations = 0

    init(objective: @escaping Objective, handle: OpaquePointer, cancellation: CancellationFlag?) {
        self.objective = objective
        self.handle = handle
        self.cancellation = cancellation
    }

    func evaluate(_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        // Once stopped, keep the first error and do not call the objective again.
        guard error == nil else { return .nan }
        evaluations += 1
        do {
            if Task.isCancelled || cancellation?.isSet == true { throw CancellationError() }
            let value = try objective(x, gradient)
            guard value.isFinite, gradient.map({ $0.allSatisfy(\.isFinite) }) ?? true else {
                throw OptimizationError.nonFiniteObjective(x: Array(x))
            }
            if value < bestValue || bestX == nil {
                bestValue = value
                remember(x)
            }
            return value
        } catch {
            self.error = error
            nlopt_force_stop(handle)
            return .nan
        }
    }

    /// Copies `x` into `bestX`, in place after the first time (most evaluations of a descent improve
    /// on the last, and a new array for each would be an allocation per evaluation).
    private func remember(_ x: UnsafeBufferPointer<Double>) {
        guard bestX != nil else {
            bestX = Array(x)
            return
        }
        for j in x.indices { bestX![j] = x[j] }
    }
}
