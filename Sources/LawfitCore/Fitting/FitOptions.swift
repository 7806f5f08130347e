import Foundation
import Optimization

/// Progress of a multi-start fit (``Optimization/StartProgress``), for code that imports only LawfitCore.
public typealias StartProgress = Optimization.StartProgress

/// How to fit a law: objective, optimiser, starts, determinism.
public struct FitOptions: Sendable {
    public var objective: ObjectiveSpec
    /// NLopt local (or global) algorithm by NLopt's name; LD_LBFGS uses the law's analytic gradient.
    public var algorithm: Algorithm
    /// A local polish after a global algorithm (default: none).
    public var polish: Algorithm?
    public var stopping: StoppingCriteria
    public var starts: StartPlan
    /// Seeds every random choice (per-start NLopt seeds); the same seed gives the same result.
    public var seed: UInt64
    /// Parallel workers (results do not depend on it).
    public var workers: Int
    /// Optional per-point weights, in prediction order.
    public var weights: [Double]?
    /// Called after each finished start, in order (for progress displays): starts done of all and
    /// the best objective so far.
    public var progress: (@Sendable (StartProgress) -> Void)?

    public init(
        objective: ObjectiveSpec = ObjectiveSpec(), algorithm: Algorithm = .lbfgs, polish: Algorithm? = nil,
        stopping: StoppingCriteria = StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: 5_000),
        starts: StartPlan = .grid, seed: UInt64 = 0,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, weights: [Double]? = nil,
        progress: (@Sendable (StartProgress) -> Void)? = nil
    ) {
        self.objective = objective
        self.algorithm = algorithm
        self.polish = polish
        self.stopping = stopping
        self.starts = starts
        self.seed = seed
        self.workers = workers
        self.weights = weights
        self.progress = progress
    }
}
