import ChinchillaKernel
import Foundation
import LawfitCore

/// Chinchilla's parametric loss (Hoffmann et al. 2022, "Training Compute-Optimal Large Language
/// Models", arXiv 2203.15556, Approach 3, eq. 2): L(N, D) = E + A / N^alpha + B / D^beta.
///
/// Fitted as Epoch AI's replication does it (Besiroglu et al. 2024, arXiv 2404.10102, section 2):
/// A = e^a, B = e^b, E = e^e are optimised as a, b, e (log transform), the prediction is made in log
/// space as log L = LSE(a - alpha log N, b - beta log D, e) (no overflow for any a, b, e), and the
/// default start grid is Epoch's 4500 points a, b in {0, 5, ..., 25}, e in {-1, -0.5, ..., 1},
/// alpha, beta in {0, 0.5, ..., 2}, enumerated in Epoch's order (a slowest, then b, e, alpha, beta).
///
/// Linear in (E, A, B) for fixed exponents, so it can also be fitted by variable projection; and
/// under C = 6 N D it has a closed-form compute-optimal allocation.
public struct ChinchillaLaw: ScalingLaw, ComputeOptimalLaw, LinearlySeparableLaw {
    public init() {}

    public var name: String { "chinchilla" }
    public var summary: String { "L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3, eq. 2; Epoch AI 2024 fit)" }
    public var requiredInputs: Set<LawInput> { [.parameters, .tokens] }

    public var parameterSpace: ParameterSpace {
        let scales = stride(from: 0.0, through: 25, by: 5).map { Foundation.exp($0) }
        let exponents = stride(from: 0.0, through: 2, by: 0.5).map { $0 }
        return ParameterSpace([
            Parameter("A", "model-size scale (fitted as a = log A)", bounds: 0...Double.infinity, transform: .log, starts: scales),
            Parameter("B", "data scale (fitted as b = log B)", bounds: 0...Double.infinity, transform: .log, starts: scales),
            Parameter(
                "E", "irreducible loss (fitted as e = log E)", bounds: 0...Double.infinity, transform: .log,
                starts: stride(from: -1.0, through: 1, by: 0.5).map { Foundation.exp($0) }),
            Parameter("alpha", "model-size exponent", bounds: 0...10, starts: exponents),
            Parameter("beta", "data exponent", bounds: 0...10, starts: exponents),
        ])
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(inputs: try PointInputs(runs, for: self))
    }

    // MARK: Variable projection

    /// E, A, B (indices 2, 0, 1) multiply the basis 1, N^-alpha, D^-beta.
    public var linearParameterIndices: [Int] { [2, 0, 1] }

    public func makeSeparableEvaluator(for runs: [Run]) throws -> any SeparableEvaluator {
        SeparableBasis(inputs: try PointInputs(runs, for: self))
    }

    // MARK: Compute-optimal allocation

    /// Minimises L(N, D) subject to 6 N D = C (Hoffmann et al. 2022, eq. 4 and appendix D.2):
    /// G = (alpha A / (beta B))^(1/(alpha+beta)), N* = G (C/6)^(beta/(alpha+beta)),
    /// D* = G^-1 (C/6)^(alpha/(alpha+beta)).
    ///
    /// - Throws: ``LawfitError`` (input) for a non-positive budget or scale, or exponents that are not positive.
    public func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum {
        guard parameters.count == 5 else {
            throw LawfitError.input("chinchilla has 5 parameters (A, B, E, alpha, beta), got \(parameters.count)")
        }
        let (a, b, e, alpha, beta) = (parameters[0], parameters[1], parameters[2], parameters[3], parameters[4])
        guard compute.isFinite, compute > 0 else { throw LawfitError.input("the compute budget must be positive and finite, got \(compute)") }
        guard a > 0, b > 0, a.isFinite, b.isFinite else { throw LawfitError.input("A and B must be positive and finite, got A=\(a), B=\(b)") }
        guard alpha > 0, beta > 0 else {
            throw LawfitError.input("the compute-optimal allocation needs alpha > 0 and beta > 0, got alpha=\(alpha), beta=\(beta)")
        }
        let logG = (Foundation.log(alpha * a) - Foundation.log(beta * b)) / (alpha + beta)
        let logHalf = Foundation.log(compute / 6)
        let logN = logG + beta / (alpha + beta) * logHalf
        let logD = -logG + alpha / (alpha + beta) * logHalf
        let n = Foundation.exp(logN), d = Foundation.exp(logD)
        let loss = e + a * Foundation.exp(-alpha * logN) + b * Foundation.exp(-beta * logD)
        return ComputeOptimum(compute: compute, parameters: n, tokens: d, loss: loss)
    }

    // MARK: Evaluators

    /// Which build of the C kernel the log-space evaluator runs on this processor: "avx2" or "portable".
    public static var kernelBuild: String { String(cString: lawfit_chinchilla_kernel_build()) }

    /// log L_i = LSE(a - alpha log N_i, b - beta log D_i, e); d log L / d(a, b, e) are the softmax
    /// weights w1, w2, w3, and d log L / d alpha = -w1 log N_i, d log L / d beta = -w2 log D_i.
    struct Evaluator: LogLossEvaluator, PointInputsEvaluator {
        let inputs: PointInputs
        var parameterCount: Int { 5 }
        var transforms: [ParameterTransform] { [.log, .log, .log, .identity, .identity] }

        func predictLogLoss(
            internal u: UnsafeBufferPointer<Double>, into logLoss: UnsafeMutableBufferPointer<Double>,
            jacobian: UnsafeMutableBufferPointer<Double>?
        ) {
            // One shift for all points: m0 = max(a, b, e) bounds every term when alpha, beta >= 0 and
            // N, D >= 1, so exp(x - m0) cannot overflow. If any shifted sum leaves [1e-280, 1e280]
            // anyway (other parameter values), every point is redone with its own maximum and libm.
            let inRange = inputs.logN.withUnsafeBufferPointer { logN in
                inputs.logD.withUnsafeBufferPointer { logD in
                    lawfit_chinchilla_log_loss(
                        count, logN.baseAddress, logD.baseAddress, u.baseAddress, logLoss.baseAddress, jacobian?.baseAddress)
                }
            }
            if inRange == 0 {
                stableLogLoss(u[0], u[1], u[2], u[3], u[4], into: logLoss, jacobian: jacobian)
            }
        }

        /// The same with a per-point log-sum-exp shift and libm: for parameters where one shift does not fit all points.
        private func stableLogLoss(
            _ a: Double, _ b: Double, _ e: Double, _ alpha: Double, _ beta: Double,
            into logLoss: UnsafeMutableBufferPointer<Double>, jacobian: UnsafeMutableBufferPointer<Double>?
        ) {
            for i in 0..<count {
                let logN = inputs.logN[i], logD = inputs.logD[i]
                let x1 = a - alpha * logN, x2 = b - beta * logD
                let m = max(max(x1, x2), e)
                let t1 = Foundation.exp(x1 - m), t2 = Foundation.exp(x2 - m), t3 = Foundation.exp(e - m)
                let s = t1 + t2 + t3
                logLoss[i] = m + Foundation.log(s)
                guard let jacobian else { continue }
                let w1 = t1 / s, w2 = t2 / s, n = count
                jacobian[i] = w1
                jacobian[n + i] = w2
                jacobian[2 * n + i] = t3 / s
                jacobian[3 * n + i] = -w1 * logN
                jacobian[4 * n + i] = -w2 * logD
            }
        }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            let (a, b, e, alpha, beta) = (theta[0], theta[1], theta[2], theta[3], theta[4])
            let n = count
            sizeBuffers(&predictions, &jacobian)
            for i in 0..<n {
                let termN = Foundation.exp(-alpha * inputs.logN[i]), termD = Foundation.exp(-beta * inputs.logD[i])
                predictions[i] = e + a * termN + b * termD
                if jacobian != nil {
                    let row = 5 * i
                    jacobian![row] = termN
                    jacobian![row + 1] = termD
                    jacobian![row + 2] = 1
                    jacobian![row + 3] = -a * termN * inputs.logN[i]
                    jacobian![row + 4] = -b * termD * inputs.logD[i]
                }
            }
        }
    }

    /// Basis (1, N^-alpha, D^-beta) for the nonlinear parameters (alpha, beta).
    struct SeparableBasis: SeparableEvaluator {
        let inputs: PointInputs
        var count: Int { inputs.count }
        var linearCount: Int { 3 }
        var nonlinearCount: Int { 2 }

        func basis(
            nonlinear q: UnsafeBufferPointer<Double>, into phi: UnsafeMutableBufferPointer<Double>,
            derivatives: UnsafeMutableBufferPointer<Double>?
        ) {
            let alpha = q[0], beta = q[1]
            for i in 0..<inputs.count {
                let termN = Foundation.exp(-alpha * inputs.logN[i]), termD = Foundation.exp(-beta * inputs.logD[i])
                phi[3 * i] = 1
                phi[3 * i + 1] = termN
                phi[3 * i + 2] = termD
                guard let derivatives else { continue }
                // d phi_ij / d q_k at [(i * 3 + j) * 2 + k].
                let row = 6 * i
                derivatives[row] = 0
                derivatives[row + 1] = 0
                derivatives[row + 2] = -termN * inputs.logN[i]
                derivatives[row + 3] = 0
                derivatives[row + 4] = 0
                derivatives[row + 5] = -termD * inputs.logD[i]
            }
        }
    }
}
