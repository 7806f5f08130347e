import Foundation
import LawfitCore

/// The data-constrained scaling law of Muennighoff et al. 2023 ("Scaling Data-Constrained Language
/// Models", arXiv 2305.16264, eqs. 5-7 and appendix A; huggingface/datablations):
///
///   L = E + A / N'^alpha + B / D'^beta,
///   D' = U_D + U_D R_D* (1 - exp(-R_D / R_D*)),  U_D = U,  R_D = max(D/U - 1, 0),
///   N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)),  U_N = min(N, N_opt(U)),  R_N = max(N/U_N - 1, 0),
///   N_opt(U) = (U G)^(beta/alpha) G,  G = (alpha A / (beta B))^(1/(alpha+beta)),
///
/// i.e. log N_opt = (beta log U + log(alpha A) - log(beta B)) / alpha. Repeated data (R_D epochs
/// beyond the first) and excess parameters (R_N) decay in value with half-lives R_D*, R_N*.
/// The kinks at D = U and N = N_opt(U) are C1: both one-sided derivatives of D' and N' vanish in
/// R there, so the analytic gradient is continuous.
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

    /// Effective size X' = U (1 + R* (1 - e^(-x/R*))) of a quantity X > U with x = X/U - 1, and
    /// dX'/dU (X fixed) and dX'/dR*; X <= U gives X' = X with zero derivatives.
    @inline(__always)
    static func effective(_ x: Double, base u: Double, halfLife star: Double) -> (value: Double, dBase: Double, dStar: Double) {
        let excess = x / u - 1
        guard excess > 0 else { return (x, 0, 0) }
        let decay = Foundation.exp(-excess / star)
        let value = u * (1 + star * (1 - decay))
        return (value, (1 + star * (1 - decay)) - decay * x / u, u * (1 - decay - decay * excess / star))
    }

    struct Evaluator: LawEvaluator {
        let inputs: PointInputs
        var count: Int { inputs.count }
        var parameterCount: Int { 7 }
        var hasAnalyticGradient: Bool { true }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let (a, b, e, alpha, beta, rdStar, rnStar) = (theta[0], theta[1], theta[2], theta[3], theta[4], theta[5], theta[6])
            let n = count
            if predictions.count != n { predictions = [Double](repeating: 0, count: n) }
            if jacobian != nil, jacobian!.count != 7 * n { jacobian = [Double](repeating: 0, count: 7 * n) }
            let logRatio = Foundation.log(alpha * a) - Foundation.log(beta * b)
            for i in 0..<n {
                let logU = inputs.logU[i]
                let u = Foundation.exp(logU), d = Foundation.exp(inputs.logD[i]), size = Foundation.exp(inputs.logN[i])
                let logNopt = (beta * logU + logRatio) / alpha
                let nOpt = Foundation.exp(logNopt)
                let (dEff, _, dDStar) = DataConstrainedLaw.effective(d, base: u, halfLife: rdStar)
                let (nEff, dNBase, dNStar) = size > nOpt
                    ? DataConstrainedLaw.effective(size, base: nOpt, halfLife: rnStar) : (size, 0, 0)
                let termN = a * Foundation.exp(-alpha * Foundation.log(nEff))
                let termD = b * Foundation.exp(-beta * Foundation.log(dEff))
                predictions[i] = e + termN + termD
                guard jacobian != nil else { continue }
                // dtermN/dN' and dtermD/dD'; N' depends on A, B, alpha, beta through N_opt.
                let slopeN = -alpha * termN / nEff, slopeD = -beta * termD / dEff
                let viaNopt = slopeN * dNBase * nOpt
                let row = 7 * i
                jacobian![row] = termN / a + viaNopt / (alpha * a)
                jacobian![row + 1] = termD / b - viaNopt / (alpha * b)
                jacobian![row + 2] = 1
                jacobian![row + 3] = -termN * Foundation.log(nEff) + viaNopt * (1 / alpha - logNopt) / alpha
                jacobian![row + 4] = -termD * Foundation.log(dEff) + viaNopt * (logU - 1 / beta) / alpha
                jacobian![row + 5] = slopeD * dDStar
                jacobian![row + 6] = slopeN * dNStar
            }
        }
    }
}
