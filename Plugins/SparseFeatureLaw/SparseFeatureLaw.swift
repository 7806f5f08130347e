import Foundation
import LawfitCore

/// The asymmetric double-descent law of model size N and data D motivated by Sous & Winer,
/// "Asymmetric Scaling Laws from Sparse Features" (arXiv 2605.23591, 2026).
///
/// The paper's body was not available; this form is DERIVED (see `Docs/laws/sparse-feature.md`):
///
///     L(N, D) = E + (A N^-alpha_u + B D^-alpha_o) R(N, D),
///     R(N, D) = max(N, D) / sqrt((N - D)^2 + (delta D)^2).
///
/// The bracket is the sparse-feature loss: features beyond the model's capacity (A N^-alpha_u, the
/// under-parameterised exponent) plus features never seen in the data (B D^-alpha_o, the
/// over-parameterised exponent). R is the interpolation (double-descent) factor: D/(D - N) for
/// N < D, exactly the ridgeless random-feature factor P/(P - N) (Bordelon, Atanasov & Pehlevan 2024;
/// checked against the DMFT static loss), N/(N - D) for N > D by the N <-> D duality, with the peak
/// at N = D regularised by delta (R = 1/delta there; R is continuous in N and D).
///
/// With the sparse mechanism (Zipf feature activation p_i ~ i^-(1+alpha)) the exponents are tied:
/// alpha_u = alpha, alpha_o = alpha/(1 + alpha) (``Exponents/tied``); the compute-optimal frontier
/// under C = 6ND then tends to N* ~ C^(1/(2+alpha)), D* ~ C^((1+alpha)/(2+alpha)): it favours data.
public struct SparseFeatureLaw: ComputeOptimalLaw {
    /// Whether the two exponents are fitted separately or tied to a sparsity exponent.
    public enum Exponents: String, Sendable, Hashable, CaseIterable {
        /// alpha_u and alpha_o fitted independently (`sparse-feature`).
        case free
        /// alpha_u = alpha, alpha_o = alpha/(1+alpha) (`sparse-feature-tied`).
        case tied
    }

    /// Whether alpha_u and alpha_o are free or tied to alpha.
    public let exponents: Exponents

    /// The law with free or tied exponents.
    public init(exponents: Exponents = .free) {
        self.exponents = exponents
    }

    public var name: String { exponents == .free ? "sparse-feature" : "sparse-feature-tied" }

    public var summary: String {
        switch exponents {
        case .free:
            "asymmetric double descent (A N^-alpha_u + B D^-alpha_o) max(N,D)/|N-D|_delta; derived from Sous & Winer 2026 (arXiv 2605.23591)"
        case .tied:
            "asymmetric double descent with alpha_u = alpha, alpha_o = alpha/(1+alpha) (Zipf sparse features); derived from Sous & Winer 2026"
        }
    }

    public var requiredInputs: Set<LawInput> { [.parameters, .tokens] }

    public var parameterSpace: ParameterSpace {
        let e = Parameter("E", "irreducible loss", bounds: 1e-6...1e2, transform: .log, starts: [0.5, 2])
        let a = Parameter("A", "capacity (under-parameterised) scale", bounds: 1e-6...1e12, transform: .log, starts: [10, 1000])
        let b = Parameter("B", "unseen-feature (over-parameterised) scale", bounds: 1e-6...1e12, transform: .log, starts: [10, 1000])
        let delta = Parameter("delta", "peak regulariser: R = 1/delta at N = D", bounds: 1e-6...1e2, transform: .log, starts: [0.1, 1])
        switch exponents {
        case .free:
            return ParameterSpace([
                e, a,
                Parameter("alpha_u", "under-parameterised exponent (of N)", bounds: 0.01...3, starts: [0.3, 0.8]),
                b,
                Parameter("alpha_o", "over-parameterised exponent (of D)", bounds: 0.01...3, starts: [0.2, 0.5]),
                delta,
            ])
        case .tied:
            return ParameterSpace([
                e, a, b,
                Parameter("alpha", "sparsity exponent: alpha_u = alpha, alpha_o = alpha/(1+alpha)", bounds: 0.01...5, starts: [0.3, 1]),
                delta,
            ])
        }
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        let points = runs.flatMap(\.observations)
        return SparseFeatureEvaluator(
            exponents: exponents, n: points.map { $0.parameters! }, d: points.map { $0.tokens! })
    }

    /// The named parameters of either variant as (E, A, alpha_u, B, alpha_o, delta), with
    /// d alpha_o / d theta_alpha for the tied variant (1 when free).
    static func unpack(_ theta: [Double], _ exponents: Exponents) -> SparseFeatureParameters {
        switch exponents {
        case .free:
            return SparseFeatureParameters(e: theta[0], a: theta[1], alphaU: theta[2], b: theta[3], alphaO: theta[4], delta: theta[5])
        case .tied:
            let alpha = theta[3]
            return SparseFeatureParameters(e: theta[0], a: theta[1], alphaU: alpha, b: theta[2], alphaO: alpha / (1 + alpha), delta: theta[4])
        }
    }
}

/// The law's parameters in the free form.
struct SparseFeatureParameters {
    var e, a, alphaU, b, alphaO, delta: Double
}

/// The sparse-feature law bound to points (N_i, D_i), with analytic gradients.
struct SparseFeatureEvaluator: LawEvaluator {
    let exponents: SparseFeatureLaw.Exponents
    let logN: [Double]
    let logD: [Double]
    let ratio: [Double]

    init(exponents: SparseFeatureLaw.Exponents, n: [Double], d: [Double]) {
        self.exponents = exponents
        logN = n.map { Foundation.log($0) }
        logD = d.map { Foundation.log($0) }
        ratio = zip(n, d).map { $0 / $1 }
    }

    var count: Int { logN.count }
    var parameterCount: Int { exponents == .free ? 6 : 5 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let p = SparseFeatureLaw.unpack(theta, exponents)
        let m = parameterCount
        sizeBuffers(&predictions, &jacobian)
        withJacobianRows(&jacobian, points: count, columns: m) { rows, wantJacobian in
            for i in 0..<count {
                let t = ratio[i]
                let gapSquared = (t - 1) * (t - 1) + p.delta * p.delta
                let r = max(t, 1) / gapSquared.squareRoot()
                let powN = Foundation.exp(-p.alphaU * logN[i])
                let powD = Foundation.exp(-p.alphaO * logD[i])
                let s = p.a * powN + p.b * powD
                predictions[i] = p.e + s * r
                guard wantJacobian else { continue }
                let dA = powN * r
                let dAlphaU = -logN[i] * p.a * powN * r
                let dB = powD * r
                let dAlphaO = -logD[i] * p.b * powD * r
                let dDelta = -s * r * p.delta / gapSquared
                let row = i * m
                switch exponents {
                case .free:
                    rows[row] = 1
                    rows[row + 1] = dA
                    rows[row + 2] = dAlphaU
                    rows[row + 3] = dB
                    rows[row + 4] = dAlphaO
                    rows[row + 5] = dDelta
                case .tied:
                    let alpha = theta[3]
                    rows[row] = 1
                    rows[row + 1] = dA
                    rows[row + 2] = dB
                    rows[row + 3] = dAlphaU + dAlphaO / ((1 + alpha) * (1 + alpha))
                    rows[row + 4] = dDelta
                }
            }
        }
    }
}
