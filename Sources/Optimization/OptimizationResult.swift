import CNLopt

/// How an NLopt run that produced a point ended: the positive `nlopt_result` codes, ROUNDOFF_LIMITED,
/// and FAILURE after at least one evaluation (``stalled``).
public enum OptimizationStatus: String, Sendable, Hashable, Codable {
    case success
    case stopValueReached
    case ftolReached
    case xtolReached
    case maxEvaluationsReached
    case maxTimeReached
    /// NLopt could not make progress because of round-off: the point is usually as good as it gets,
    /// and is returned with a warning.
    case roundoffLimited
    /// NLopt gave up with its generic NLOPT_FAILURE after evaluating the objective. For L-BFGS and the
    /// other Lukšan methods (LD_VAR1/2, LD_TNEWTON*) this is a line search that found no decrease:
    /// round-off or an inexact gradient near a minimum (NLopt 2.7.1 never reports ROUNDOFF_LIMITED for
    /// them), but also a gradient inconsistent with the objective, which stalls at the start. The best
    /// point evaluated is returned with a warning and the run does not count as converged.
    case stalled

    /// Whether a tolerance criterion was met (as opposed to running out of budget or stalling).
    public var converged: Bool {
        switch self {
        case .success, .stopValueReached, .ftolReached, .xtolReached, .roundoffLimited: true
        case .maxEvaluationsReached, .maxTimeReached, .stalled: false
        }
    }

    init?(_ result: nlopt_result) {
        switch result {
        case NLOPT_SUCCESS: self = .success
        case NLOPT_STOPVAL_REACHED: self = .stopValueReached
        case NLOPT_FTOL_REACHED: self = .ftolReached
        case NLOPT_XTOL_REACHED: self = .xtolReached
        case NLOPT_MAXEVAL_REACHED: self = .maxEvaluationsReached
        case NLOPT_MAXTIME_REACHED: self = .maxTimeReached
        case NLOPT_ROUNDOFF_LIMITED: self = .roundoffLimited
        case NLOPT_FAILURE: self = .stalled
        default: return nil
        }
    }
}

/// The outcome of one minimisation.
public struct OptimizationResult: Sendable, Hashable {
    /// The best point found.
    public var x: [Double]
    /// The objective at `x`.
    public var value: Double
    public var status: OptimizationStatus
    /// Objective evaluations used (all stages, when a polish followed a global search).
    public var evaluations: Int
    /// Things the caller should know, such as round-off limiting.
    public var warnings: [String] = []
    // Made by the minimisers only: Swift's memberwise init (internal) serves them.

    /// Whether the run ended by meeting a tolerance (``OptimizationStatus/converged``).
    public var converged: Bool { status.converged }
}

/// Why a minimisation failed.
public enum OptimizationError: Error, Sendable, CustomStringConvertible {
    /// This NLopt build does not know the algorithm.
    case unknownAlgorithm(String)
    /// The arguments are invalid (bounds, dimension, a start outside the bounds or not finite, a global
    /// algorithm without finite bounds); checked before NLopt runs, else NLopt's own message.
    case invalidArguments(String)
    /// NLopt ran out of memory.
    case outOfMemory
    /// NLopt reported a generic failure; carries its message.
    case failure(String)
    /// The objective threw: NLopt was stopped, and the best point seen so far is kept.
    case objectiveFailed(underlying: any Error, bestX: [Double]?, bestValue: Double?)
    /// The objective returned NaN or an infinity at `x`.
    case nonFiniteObjective(x: [Double])

    public var description: String {
        switch self {
        case .unknownAlgorithm(let name):
            "unknown NLopt algorithm '\(name)'; this NLopt knows: \(Algorithm.available.joined(separator: ", "))"
        case .invalidArguments(let message): "invalid optimisation arguments: \(message)"
        case .outOfMemory: "NLopt ran out of memory"
        case .failure(let message): "NLopt failed: \(message)"
        case .objectiveFailed(let error, _, _): "the objective failed: \(error)"
        case .nonFiniteObjective(let x): "the objective is not finite at \(x)"
        }
    }
}
