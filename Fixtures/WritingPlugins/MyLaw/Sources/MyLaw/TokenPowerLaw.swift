import Foundation
import LawfitCore

/// Loss as a power law in training tokens plus an irreducible term, L(D) = E + B / D^beta
/// (Hestness et al. 2017, "Deep Learning Scaling is Predictable, Empirically", arXiv:1712.00409,
/// Sec. 2: generalization error alpha m^beta_g + gamma in the training-set size m).
public struct TokenPowerLaw: ScalingLaw {
    public init() {}

    public var name: String { "token-power" }
    public var summary: String { "L = E + B / D^beta (Hestness et al. 2017, Sec. 2)" }

    /// E and B span orders of magnitude: the optimiser sees log E and log B. beta is fitted as is.
    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("E", "irreducible loss", bounds: 1e-3...20, transform: .log, starts: [0.5, 1.5]),
            Parameter("B", "scale of the data term", bounds: 1e-3...1e12, transform: .log, starts: [1e2, 1e4, 1e6]),
            Parameter("beta", "data exponent", bounds: 0.01...2, starts: [0.1, 0.3, 0.5]),
        ])
    }

    public var requiredInputs: Set<LawInput> { [.tokens] }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)  // every point has a positive, finite D
        return Evaluator(logD: runs.flatMap(\.observations).map { log($0.tokens ?? .nan) })
    }

    /// The law bound to fixed points: log D is computed once, not at every optimiser step.
    struct Evaluator: LawEvaluator {
        let logD: [Double]
        var count: Int { logD.count }
        var parameterCount: Int { 3 }
        var hasAnalyticGradient: Bool { true }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let (e, b, beta) = (theta[0], theta[1], theta[2])
            // B / D^beta = exp(log B - beta log D): no overflow of D^beta on the way.
            let terms = logD.map { exp(log(b) - beta * $0) }
            predictions = terms.map { e + $0 }
            guard jacobian != nil else { return }
            // Row i: dL/dE = 1, dL/dB = D^-beta, dL/dbeta = -log D * B / D^beta.
            jacobian = zip(logD, terms).flatMap { x, term in [1, term / b, -x * term] }
        }
    }
}
