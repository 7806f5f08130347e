import Foundation
import Optimization

/// Progress of a multi-start fit (``Optimization/StartProgress``), for code that imports only LawfitCore.
public typealias StartProgress = Optimization.StartProgress

/// How to fit a law: objective, optimiser, starts, determinism.
public struct FitOptions: Sendable {
    public var objective: ObjectiveSpec
    /// NLopt local (or global) algorithm by NLopt's name; LD_LBFGS uses the law's analytic gradient.
    /// Used unless ``localMethod`` picks Levenberg-Marquardt.
    public var algorithm: Algorithm
    /// Levenberg-Marquardt or `algorithm` for each start (`.automatic` unless an algorithm is named).
    public var localMethod: LocalMethod
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
    /// How a fit of a long log runs its starts on a subsample first (``SubsampleStage/standard``
    /// by default; nil runs every start on every point). Only fits of runs stage (``LawFitter``'s
    /// `fit(_ runs:)` and ``LawFitter/fitKeepingObjective(_:)``): a bound objective has no runs to thin.
    public var subsample: SubsampleStage? = .standard
    /// Whether to check the optimum for flat directions (the Gauss-Newton curvature, one pass over
    /// the points with Jacobian): on by default; bootstrap refits, which keep only the values, turn it off.
    public var diagnostics = true
    /// Called after each finished start, in order (for progress displays): starts done of all and
    /// the best objective so far.
    public var progress: (@Sendable (StartProgress) -> Void)?

    public init(
        objective: ObjectiveSpec = ObjectiveSpec(), algorithm: Algorithm? = nil, polish: Algorithm? = nil,
        stopping: StoppingCriteria = StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: 5_000),
        starts: StartPlan = .grid, seed: UInt64 = 0,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, weights: [Double]? = nil,
        progress: (@Sendable (StartProgress) -> Void)? = nil
    ) {
        self.objective = objective
        self.algorithm = algorithm ?? .lbfgs
        self.localMethod = algorithm == nil && polish == nil ? .automatic : .nlopt
        self.polish = polish
        self.stopping = stopping
        self.starts = starts
        self.seed = seed
        self.workers = workers
        self.weights = weights
        self.progress = progress
    }
}

/// The local method of each start of a fit.
public enum LocalMethod: String, Sendable, Hashable {
    /// Levenberg-Marquardt with staged starts for the laws where it was measured to win (the
    /// partially linear loss-curve laws, ``PartiallyLinearLaw``); the NLopt algorithm otherwise,
    /// Chinchilla included (Docs/Fitting.md has the measurements, and those of the methods that lost).
    case automatic
    /// ``LevenbergMarquardt`` on the objective's Gauss-Newton model, for every law.
    case levenbergMarquardt
    /// The NLopt algorithm (``FitOptions/algorithm``).
    case nlopt

    /// Whether `law` is fitted by Levenberg-Marquardt under this choice.
    public func usesLevenbergMarquardt(for law: any ScalingLaw) -> Bool {
        switch self {
        case .automatic: (law as? any PartiallyLinearLaw).map { !$0.linearParameters.isEmpty } ?? false
        case .levenbergMarquardt: true
        case .nlopt: false
        }
    }
}
