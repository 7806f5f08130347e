import Foundation
import Optimization

/// How to fit a law: objective, optimiser, starts, determinism.
public struct FitOptions: Sendable {
    public var objective: ObjectiveSpec
    /// NLopt local (or global) algorithm by NLopt's name; LD_LBFGS uses the law's analytic gradient.
    /// Used when ``levenbergMarquardt`` is off.
    public var algorithm: Algorithm
    /// Minimise each start by ``LevenbergMarquardt`` on the objective's Gauss-Newton model instead of
    /// `algorithm`: the default (Docs/Fitting.md has the measurements), off when an algorithm is named.
    public var levenbergMarquardt: Bool
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
    /// Called after each finished start (for progress displays).
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(
        objective: ObjectiveSpec = ObjectiveSpec(), algorithm: Algorithm? = nil, polish: Algorithm? = nil,
        stopping: StoppingCriteria = StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: 5_000),
        starts: StartPlan = .grid, seed: UInt64 = 0,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, weights: [Double]? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) {
        self.objective = objective
        self.algorithm = algorithm ?? .lbfgs
        self.levenbergMarquardt = algorithm == nil && polish == nil
        self.polish = polish
        self.stopping = stopping
        self.starts = starts
        self.seed = seed
        self.workers = workers
        self.weights = weights
        self.progress = progress
    }
}
