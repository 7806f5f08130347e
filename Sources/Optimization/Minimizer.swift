import CNLopt

/// A complete, reusable description of how to minimise: algorithm, bounds, stopping criteria, the
/// local optimiser of MLSL, and an optional local polish after a global search.
///
/// A value type, safe to share between tasks: each ``minimize(from:seed:objective:)`` call creates
/// its own ``Optimizer``s.
public struct Minimizer: Sendable {
    public var algorithm: Algorithm
    public var lowerBounds: [Double]?
    public var upperBounds: [Double]?
    public var stopping: StoppingCriteria
    /// The subsidiary local optimiser for MLSL (`G_MLSL`, `G_MLSL_LDS`); defaults to LN_BOBYQA.
    public var localAlgorithm: Algorithm?
    public var localStopping: StoppingCriteria
    /// A local algorithm run from the global result (e.g. LD_LBFGS after GN_CRS2_LM).
    public var polish: Algorithm?
    public var polishStopping: StoppingCriteria
    /// Population of stochastic global algorithms (0: NLopt's default).
    public var population: Int
    /// Run ``LevenbergMarquardt`` (with `stopping` and the bounds) instead of `algorithm` when the
    /// objective supplies a curvature model (``minimize(from:seed:model:)``); `algorithm` then only
    /// serves objectives without one.
    public var levenbergMarquardt: Bool
    /// ``LevenbergMarquardt/initialDamping`` of those runs.
    public var initialDamping = LevenbergMarquardt.coldStart

    public init(
        algorithm: Algorithm, lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil,
        stopping: StoppingCriteria = .tight, localAlgorithm: Algorithm? = nil,
        localStopping: StoppingCriteria = StoppingCriteria(ftolRel: 1e-10, maxEvaluations: 2_000),
        polish: Algorithm? = nil, polishStopping: StoppingCriteria = .tight, population: Int = 0,
        levenbergMarquardt: Bool = false
    ) {
        self.levenbergMarquardt = levenbergMarquardt
        self.algorithm = algorithm
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.stopping = stopping
        self.localAlgorithm = localAlgorithm
        self.localStopping = localStopping
        self.polish = polish
        self.polishStopping = polishStopping
        self.population = population
    }

    /// Minimises `objective` from `start`, then polishes if a polish algorithm is set.
    ///
    /// - Parameter seed: seeds NLopt's thread-local generator (`nlopt_srand`) on the calling thread
    ///   before the run, which makes stochastic algorithms reproducible; `nil` leaves it as it is.
    ///   NLopt's Mersenne Twister keeps only 32 bits of its seed, so the high half is folded into the
    ///   low half first: seeds that differ only in their high bits still give different runs.
    public func minimize(from start: [Double], seed: UInt64? = nil, objective: @escaping Objective) throws -> OptimizationResult {
        try minimize(from: start, seed: seed, cancellation: nil, objective: objective)
    }

    /// ``minimize(from:seed:objective:)`` that also stops once `cancellation` is set.
    func minimize(
        from start: [Double], seed: UInt64?, cancellation: CancellationFlag?, objective: @escaping Objective
    ) throws -> OptimizationResult {
        if let seed { nlopt_srand(UInt(truncatingIfNeeded: seed ^ (seed >> 32))) }
        let main = try makeOptimizer(algorithm, dimension: start.count, stopping: stopping)
        if algorithm.needsLocalOptimizer {
            try main.setLocalOptimizer(localAlgorithm ?? .bobyqa, stopping: localStopping)
        }
        if population > 0 { try main.setPopulation(population) }
        var result = try main.minimize(from: start, cancellation: cancellation, objective: objective)
        guard let polish else { return result }
        let polisher = try makeOptimizer(polish, dimension: start.count, stopping: polishStopping)
        let polished = try polisher.minimize(from: result.x, cancellation: cancellation, objective: objective)
        if polished.value <= result.value {
            result = OptimizationResult(
                x: polished.x, value: polished.value, status: polished.status,
                evaluations: result.evaluations + polished.evaluations,
                warnings: result.warnings + polished.warnings)
        } else {
            result.evaluations += polished.evaluations
        }
        return result
    }

    /// Minimises an objective that also supplies a Gauss-Newton curvature model: by
    /// ``LevenbergMarquardt`` when ``levenbergMarquardt`` is set, else by the NLopt route above (the
    /// curvature is then never asked for).
    public func minimize(from start: [Double], seed: UInt64? = nil, model: @escaping ModelObjective) throws -> OptimizationResult {
        try minimize(from: start, seed: seed, cancellation: nil, model: model)
    }

    func minimize(
        from start: [Double], seed: UInt64?, cancellation: CancellationFlag?, model: @escaping ModelObjective
    ) throws -> OptimizationResult {
        guard levenbergMarquardt else {
            return try minimize(from: start, seed: seed, cancellation: cancellation) { x, gradient in try model(x, gradient, nil) }
        }
        return try LevenbergMarquardt(lowerBounds: lowerBounds, upperBounds: upperBounds, stopping: stopping, initialDamping: initialDamping)
            .minimize(from: start, cancellation: cancellation, objective: model)
    }

    private func makeOptimizer(_ algorithm: Algorithm, dimension: Int, stopping: StoppingCriteria) throws -> Optimizer {
        let optimizer = try Optimizer(algorithm: algorithm, dimension: dimension)
        if lowerBounds != nil || upperBounds != nil {
            try optimizer.setBounds(
                lower: lowerBounds ?? Array(repeating: -.infinity, count: dimension),
                upper: upperBounds ?? Array(repeating: .infinity, count: dimension))
        }
        try optimizer.setStopping(stopping)
        return optimizer
    }
}

extension Minimizer: CustomStringConvertible {
    /// The algorithm, and the polish when there is one: `GN_CRS2_LM + LD_LBFGS polish`;
    /// `Levenberg-Marquardt` when that runs.
    public var description: String {
        if levenbergMarquardt { return "Levenberg-Marquardt" }
        return polish.map { "\(algorithm.name) + \($0.name) polish" } ?? algorithm.name
    }
}
