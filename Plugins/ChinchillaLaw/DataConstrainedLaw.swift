import Foundation
import LawfitCore

/// The data-constrained scaling law of Muennighoff et al. 2023 ("Scaling Data-Constrained Language
/// Models", arXiv 2305.16264, eqs. 5-7 and appendix A; huggingface/datablations):
///
///   L = E + A / N'^alpha + B / D'^beta,
///   D' = U_D + U_D R_D* (1 - exp(-R_D / R_D*)),  U_D = min(D, U),  R_D = D/U_D - 1,
///   N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)),  U_N = min(N, N_opt(U)),  R_N = max(N/U_N - 1, 0),
///   N_opt(U) = (U G)^(beta/alpha) G,  G = (alpha A / (beta B))^(1/(alpha+beta)),
///
/// i.e. log N_opt = (beta log U + log(alpha A) - log(beta B)) / alpha. Repeated data (R_D epochs
/// beyond the first) and excess parameters (R_N) decay in value with half-lives R_D*, R_N*.
/// The kinks at D = U and N = N_opt(U) are C1: both one-sided derivatives of D' and N' vanish in
/// R there, so the analytic gradient is continuous. N' and D' are computed in logs, so an extreme
/// N_opt (tiny alpha) cannot make them 0 or infinite.
///
/// Published fit (182 runs): A = e^6.255414, B = e^7.3049974, E = e^0.6254804,
/// alpha = beta = 0.3526596, R_D* = 15.387756, R_N* = 5.309743.
public struct DataConstrainedLaw: ScalingLaw {
    public init() {}

    public var name: String { "data-constrained" }
    public var summary: String {
        "L = E + A/N'^alpha + B/D'^beta with repeated-data and excess-parameter decay (Muennighoff et al. 2023, eqs. 5-7)"
    }
    public var requiredInputs: Set<LawInput> { [.parameters, .tokens, .uniqueTokens] }

    public var parameterSpace: ParameterSpace {
        let scales = [0.0, 5, 10].map { Foundation.exp($0) }
        return ParameterSpace([
            Parameter("A", "model-size scale (fitted as log A)", bounds: 0...Double.infinity, transform: .log, starts: scales),
            Parameter("B", "data scale (fitted as log B)", bounds: 0...Double.infinity, transform: .log, starts: scales),
            Parameter("E", "irreducible loss (fitted as log E)", bounds: 0...Double.infinity, transform: .log,
                      starts: [-1.0, 0, 1].map { Foundation.exp($0) }),
            Parameter("alpha", "model-size exponent", bounds: 1e-4...5, starts: [0.2, 0.5]),
            Parameter("beta", "data exponent", bounds: 1e-4...5, starts: [0.2, 0.5]),
            Parameter("R_D_star", "half-life of repeated data, in epochs", bounds: 1e-3...1e4, transform: .log, starts: [5, 15]),
            Parameter("R_N_star", "half-life of excess parameters", bounds: 1e-3...1e4, transform: .log, starts: [5, 15]),
        ])
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(inputs: try PointInputs(runs, for: self))
    }

    /// The effective size of a quantity X measured against a base U, in logs: for X > U,
    /// x = X/U - 1, g = 1 + R* (1 - e^(-x/R*)) and log X' = log U + log g, with
    /// d log X' / d log U = 1 - e^(-x/R*) (x + 1) / g and d log X' / d R* = (1 - e^(-x/R*) - e^(-x/R*) x / R*) / g;
    /// for X <= U, log X' = log X with zero derivatives. Finite for any finite logs.
    @inline(__always)
    static func effective(logX: Double, logBase: Double, halfLife star: Double) -> (log: Double, dLogBase: Double, dStar: Double) {
        guard logX > logBase else { return (logX, 0, 0) }
        let excess = Foundation.exp(logX - logBase) - 1
        let decay = Foundation.exp(-excess / star)
        let g = 1 + star * (1 - decay)
        // decay * excess -> 0 as excess -> infinity; spell it out so that 0 * infinity never occurs.
        let decayedExcess = decay == 0 ? 0 : decay * excess
        return (logBase + Foundation.log(g), 1 - (decay + decayedExcess) / g, (1 - decay - decayedExcess / star) / g)
    }

    struct Evaluator: PointInputsEvaluator {
        let inputs: PointInputs
        var parameterCount: Int { 7 }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let (a, b, e, alpha, beta, rdStar, rnStar) = (theta[0], theta[1], theta[2], theta[3], theta[4], theta[5], theta[6])
            let n = count
            sizeBuffers(&predictions, &jacobian)
            let logRatio = Foundation.log(alpha * a) - Foundation.log(beta * b)
            for i in 0..<n {
                let logU = inputs.logU[i]
                let logNopt = (beta * logU + logRatio) / alpha
                let (logDEff, _, dLogDStar) = DataConstrainedLaw.effective(logX: inputs.logD[i], logBase: logU, halfLife: rdStar)
                let (logNEff, dLogNBase, dLogNStar) = DataConstrainedLaw.effective(logX: inputs.logN[i], logBase: logNopt, halfLife: rnStar)
                let termN = a * Foundation.exp(-alpha * logNEff)
                let termD = b * Foundation.exp(-beta * logDEff)
                predictions[i] = e + termN + termD
                guard jacobian != nil else { continue }
                // d termN / d log N' and d termD / d log D'; log N' depends on A, B, alpha, beta through log N_opt.
                let slopeN = -alpha * termN, slopeD = -beta * termD
                let viaNopt = slopeN * dLogNBase
                let row = 7 * i
                jacobian![row] = termN / a + viaNopt / (alpha * a)
                jacobian![row + 1] = termD / b - viaNopt / (alpha * b)
                jacobian![row + 2] = 1
                jacobian![row + 3] = -termN * logNEff + viaNopt * (1 / alpha - logNopt) / alpha
                jacobian![row + 4] = -termD * logDEff + viaNopt * (logU - 1 / beta) / alpha
                jacobian![row + 5] = slopeD * dLogDStar
                jacobian![row + 6] = slopeN * dLogNStar
            }
        }
    }
}
