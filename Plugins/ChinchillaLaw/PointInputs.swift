import Foundation
import LawfitCore

/// The logarithms of the (N, D, U) inputs of every point of some runs, taken once per evaluator so
/// that no evaluation recomputes a logarithm of the data.
struct PointInputs: Sendable {
    var logN: [Double] = []
    var logD: [Double] = []
    /// log U, only when the law asked for unique tokens.
    var logU: [Double] = []

    /// Reads the inputs of `runs` after checking that `law` has them all (positive and finite).
    init(_ runs: [Run], for law: some ScalingLaw) throws {
        try law.validate(runs)
        let needsU = law.requiredInputs.contains(.uniqueTokens)
        for run in runs {
            for observation in run.observations {
                // validate(_:) guarantees the required inputs are present, positive and finite.
                logN.append(Foundation.log(observation.parameters!))
                logD.append(Foundation.log(observation.tokens!))
                if needsU { logU.append(Foundation.log(observation.uniqueTokens!)) }
            }
        }
    }

    /// Number of points.
    var count: Int { logN.count }
}

/// An evaluator over the points of ``PointInputs`` with an analytic Jacobian: those of chinchilla,
/// kaplan and data-constrained, whose point count is their inputs'.
protocol PointInputsEvaluator: LawEvaluator {
    var inputs: PointInputs { get }
}

extension PointInputsEvaluator {
    var count: Int { inputs.count }
    var hasAnalyticGradient: Bool { true }
}
