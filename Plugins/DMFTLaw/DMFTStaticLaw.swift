import Foundation
import LawfitCore

/// The t -> infinity limit of the DMFT random-feature law (`dmft-static`): the test loss of the
/// ridgeless (minimum-norm) random-feature interpolator, with its double-descent peak at N = P
/// (Bordelon, Atanasov & Pehlevan, ICML 2024, Sec. 4; LAWS.md §3; the reference `static_loss`):
///
///     L = E + s L_static(N = nu params, P = pi U; a, b, sigma^2)
///     L_static = sigma_perp^2 P/(P - N) + sigma^2 N/(P - N)          (N < P)
///              = +infinity                                           (N = P)
///              = the z -> 0 limit of the Laplace-domain loss        (N > P; ``RandomFeatureDMFT/staticLoss(features:samples:noise:)``)
///
/// sigma_perp^2(N) is the target power N features cannot represent and sigma^2 the label-noise
/// variance in units of the task power. Inputs: model size N and unique tokens (samples) U, both
/// required: the peak sits where nu N = pi U. The pole there is a barrier no fit crosses, so the
/// default starts nu = pi = 1 put each point on the side of the peak its N/U puts it.
public struct DMFTStaticLaw: ScalingLaw {
    public init() {}

    public var name: String { "dmft-static" }

    public var summary: String {
        "Random-feature DMFT law at t -> infinity (ridgeless interpolator): L = E + s L_static(N = nu N, P = pi U), "
            + "double descent at nu N = pi U (Bordelon, Atanasov & Pehlevan, ICML 2024; LAWS.md §3)"
    }

    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("a", "task-power exponent: lambda_k w*_k^2 = k^-a", bounds: 1.05...8, starts: [1.6, 2.5, 4]),
            Parameter("b", "spectral exponent: lambda_k = k^-b", bounds: 1.05...5, starts: [1.3, 2]),
            Parameter("s", "loss scale (loss units per unit of L_RF)", bounds: 1e-8...1e8, transform: .log, starts: [1]),
            Parameter("E", "irreducible loss", bounds: 0...20, starts: [0]),
            Parameter("nu", "random features per model parameter", bounds: 1e-15...1e6, transform: .log, starts: [1]),
            Parameter("pi", "samples per unique token", bounds: 1e-15...1e6, transform: .log, starts: [1]),
            Parameter("noise", "label-noise variance sigma^2 (units of the task power)", bounds: 0...100, starts: [0.05]),
        ])
    }

    public var requiredInputs: Set<LawInput> { [.parameters, .uniqueTokens] }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        let points = runs.flatMap { run in run.observations.map { (n: $0.parameters!, p: $0.uniqueTokens!) } }
        return DMFTStaticEvaluator(points: points)
    }
}

/// ``DMFTStaticLaw`` bound to its (N, U) points. The Jacobian is filled here: exact in s, E and the
/// noise (the static loss is affine in sigma^2), central differences with relative steps 1e-5 theta for
/// a, b, nu, pi (the static loss is a root and a few mode sums, accurate to ~1e-13). A point where the
/// solver fails, and the peak nu N = pi U itself, predict a non-finite loss that the fitter reports.
struct DMFTStaticEvaluator: LawEvaluator {
    let points: [(n: Double, p: Double)]

    var count: Int { points.count }
    var parameterCount: Int { 7 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let (s, e, noise) = (theta[2], theta[3], theta[6])
        let base = losses(theta, noise: noise)
        predictions = base.map { e + s * $0 }
        guard jacobian != nil else { return }
        let p = parameterCount
        var rows = [Double](repeating: 0, count: points.count * p)
        let withoutNoise = losses(theta, noise: 0), unitNoise = losses(theta, noise: 1)
        for i in points.indices {
            rows[i * p + 2] = base[i]
            rows[i * p + 3] = 1
            rows[i * p + 6] = s * (unitNoise[i] - withoutNoise[i])
        }
        for column in [0, 1, 4, 5] {
            let h = 1e-5 * theta[column]
            var up = theta, down = theta
            up[column] += h
            down[column] -= h
            let plus = losses(up, noise: noise), minus = losses(down, noise: noise)
            for i in points.indices { rows[i * p + column] = s * (plus[i] - minus[i]) / (2 * h) }
        }
        jacobian = rows
    }

    /// L_static(nu N_i, pi U_i) at every point (NaN where the solver fails).
    private func losses(_ theta: [Double], noise: Double) -> [Double] {
        guard let solver = try? RandomFeatureDMFT(a: theta[0], b: theta[1]) else {
            return [Double](repeating: .nan, count: points.count)
        }
        return points.map { point in
            (try? solver.staticLoss(features: theta[4] * point.n, samples: theta[5] * point.p, noise: noise)) ?? .nan
        }
    }
}
