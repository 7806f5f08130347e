import Foundation
import LawfitCore

/// Kaplan et al.'s joint law of model size and data (Kaplan et al. 2020, "Scaling Laws for Neural
/// Language Models", arXiv 2001.08361, eq. 1.5 / 4.1):
/// L(N, D) = [(N_c / N)^(alpha_N / alpha_D) + D_c / D]^alpha_D.
///
/// Published (non-embedding N, WebText2, nats): alpha_N = 0.076, alpha_D = 0.103, N_c = 6.4e13,
/// D_c = 1.8e13. Evaluated in log space: log L = alpha_D LSE(r (log N_c - log N), log D_c - log D)
/// with r = alpha_N / alpha_D, so no power overflows.
public struct KaplanLaw: ScalingLaw {
    public init() {}

    public var name: String { "kaplan" }
    public var summary: String { "L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. 2020, eq. 1.5)" }
    public var requiredInputs: Set<LawInput> { [.parameters, .tokens] }

    public var parameterSpace: ParameterSpace {
        let scales = [1e9, 1e12, 1e15]
        let exponents = [0.05, 0.1, 0.3]
        return ParameterSpace([
            Parameter("N_c", "model-size scale", bounds: 0...Double.infinity, transform: .log, starts: scales),
            Parameter("D_c", "data scale", bounds: 0...Double.infinity, transform: .log, starts: scales),
            Parameter("alpha_N", "model-size exponent", bounds: 0...5, starts: exponents),
            Parameter("alpha_D", "data exponent (must be positive)", bounds: 1e-4...5, starts: exponents),
        ])
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(inputs: try PointInputs(runs, for: self))
    }

    /// With u = (N_c/N)^r, v = D_c/D, S = u + v, L = S^alpha_D and w = u/S:
    /// dL/dN_c = L alpha_N w / N_c, dL/dD_c = L alpha_D (1 - w) / D_c, dL/dalpha_N = L w log(N_c/N),
    /// dL/dalpha_D = L (log S - w r log(N_c/N)).
    struct Evaluator: LawEvaluator {
        let inputs: PointInputs
        var count: Int { inputs.count }
        var parameterCount: Int { 4 }
        var hasAnalyticGradient: Bool { true }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let (nc, dc, alphaN, alphaD) = (theta[0], theta[1], theta[2], theta[3])
            let logNc = Foundation.log(nc), logDc = Foundation.log(dc), r = alphaN / alphaD
            let n = count
            if predictions.count != n { predictions = [Double](repeating: 0, count: n) }
            if jacobian != nil, jacobian!.count != 4 * n { jacobian = [Double](repeating: 0, count: 4 * n) }
            for i in 0..<n {
                let ratio = logNc - inputs.logN[i]
                let lu = r * ratio, lv = logDc - inputs.logD[i]
                let m = max(lu, lv)
                let logS = m + Foundation.log(Foundation.exp(lu - m) + Foundation.exp(lv - m))
                let loss = Foundation.exp(alphaD * logS)
                predictions[i] = loss
                guard jacobian != nil else { continue }
                let w = Foundation.exp(lu - logS)
                let row = 4 * i
                jacobian![row] = loss * alphaN * w / nc
                jacobian![row + 1] = loss * alphaD * (1 - w) / dc
                jacobian![row + 2] = loss * w * ratio
                jacobian![row + 3] = loss * (logS - w * r * ratio)
            }
        }
    }
}
