import Foundation
import LawfitCore

/// Kaplan et al.'s joint law of model size and data (Kaplan et al. 2020, "Scaling Laws for Neural
/// Language Models", arXiv 2001.08361, eq. 1.5 / 4.1):
/// L(N, D) = [(N_c / N)^(alpha_N / alpha_D) + D_c / D]^alpha_D.
///
/// Published (non-embedding N, WebText2, nats): alpha_N = 0.076, alpha_D = 0.103, N_c = 6.4e13,
/// D_c = 1.8e13. Evaluated in log space: log L = alpha_D LSE(r (log N_c - log N), log D_c - log D)
/// with r = alpha_N / alpha_D, so no power overflows.
public struct KaplanLaw: ScalingLaw, ComputeOptimalLaw {
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

    /// The allocation minimising L under C = 6ND (derived here; Kaplan et al. fit their own frontier
    /// separately, from loss against steps and batch size): L is increasing in
    /// S(N) = (N_c/N)^r + 6 D_c N / C, whose stationary point -r N_c^r N^(-r-1) + 6 D_c / C = 0 gives
    /// log N* = (log r + r log N_c + log C - log 6 - log D_c) / (r + 1), the unique minimum (S is
    /// convex in N), D* = C / (6 N*), L* = S(N*)^alpha_D.
    public func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum {
        guard parameters.count == 4 else {
            throw LawfitError.input("kaplan has 4 parameters (N_c, D_c, alpha_N, alpha_D), got \(parameters.count)")
        }
        let (nc, dc, alphaN, alphaD) = (parameters[0], parameters[1], parameters[2], parameters[3])
        guard compute.isFinite, compute > 0 else { throw LawfitError.input("the compute budget must be positive and finite, got \(compute)") }
        guard nc > 0, dc > 0, nc.isFinite, dc.isFinite else { throw LawfitError.input("N_c and D_c must be positive and finite, got N_c=\(nc), D_c=\(dc)") }
        guard alphaN > 0, alphaD > 0 else {
            throw LawfitError.input("the compute-optimal allocation needs alpha_N > 0 and alpha_D > 0, got alpha_N=\(alphaN), alpha_D=\(alphaD)")
        }
        let r = alphaN / alphaD
        let logC = Foundation.log(compute), logNc = Foundation.log(nc), logDc = Foundation.log(dc)
        let logN = (Foundation.log(r) + r * logNc + logC - Foundation.log(6.0) - logDc) / (r + 1)
        let logD = logC - Foundation.log(6.0) - logN
        let lu = r * (logNc - logN), lv = logDc - logD
        let m = max(lu, lv)
        let logS = m + Foundation.log(Foundation.exp(lu - m) + Foundation.exp(lv - m))
        return ComputeOptimum(compute: compute, parameters: Foundation.exp(logN), tokens: Foundation.exp(logD), loss: Foundation.exp(alphaD * logS))
    }

    /// With u = (N_c/N)^r, v = D_c/D, S = u + v, L = S^alpha_D and w = u/S:
    /// dL/dN_c = L alpha_N w / N_c, dL/dD_c = L alpha_D (1 - w) / D_c, dL/dalpha_N = L w log(N_c/N),
    /// dL/dalpha_D = L (log S - w r log(N_c/N)).
    struct Evaluator: PointInputsEvaluator {
        let inputs: PointInputs
        var parameterCount: Int { 4 }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let (nc, dc, alphaN, alphaD) = (theta[0], theta[1], theta[2], theta[3])
            let logNc = Foundation.log(nc), logDc = Foundation.log(dc), r = alphaN / alphaD
            let n = count
            sizeBuffers(&predictions, &jacobian)
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
