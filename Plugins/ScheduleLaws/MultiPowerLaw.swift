import Foundation
import LawfitCore

/// The Multi-Power Law of loss curves under a learning-rate schedule (Luo et al., "A Multi-Power Law
/// for Loss Curve Prediction Across Learning Rate Schedules", ICLR 2025, arXiv 2503.12811, Sec. 3):
///
///     L(t) = L0 + A S1(t)^-alpha - LD(t),
///     LD(t) = B sum_{k=1}^{t} (eta_{k-1} - eta_k) G(eta_k^-gamma S_k(t)),
///     S_k(t) = sum_{tau=k}^{t} eta_tau,   G(x) = 1 - (C x + 1)^-beta.
///
/// Warmup convention of the authors' code (LAWS.md Sec. 6): S1(t) = tau_t is the sum of every rate
/// including the warmup ramp (so the paper's S1 + S_W), and the loss-drop sum runs over every step
/// from 1, warmup included, where eta_{k-1} - eta_k is negative. With it the published 400M
/// parameters reproduce the authors' curves (Docs/laws/multi-power.md).
///
/// Only change points (eta_{k-1} != eta_k) contribute to LD, so an evaluation costs
/// O(observations x change points) after a one-off O(K) pass (``ScheduledPoints``). The Jacobian is
/// analytic.
public struct MultiPowerLaw: PartiallyLinearLaw {
    /// rho of the change-point compression (``ScheduledPoints``), or `nil` for the exact sum.
    public let compression: Double?

    /// The law; by default the loss-drop sum is compressed with rho = 32 (within 1e-7 relative of
    /// the exact sum on the multipower-400m curves with 10-22x fewer terms); `nil` sums exactly.
    public init(compression: Double? = 32) {
        self.compression = compression
    }

    public var name: String { "multi-power" }
    public var summary: String {
        "Multi-Power Law L0 + A S1^-alpha - LD(t) of loss under any LR schedule (Luo et al., ICLR 2025)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    /// L = L0 + A S1^-alpha - B LD/B: linear in L0, A and B (staged starts solve them first).
    public var linearParameters: [String] { ["L0", "A", "B"] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("L0", "irreducible loss", bounds: 0...20, starts: [2.0]),
            Parameter("A", "amplitude of the power law in S1", bounds: 1e-6...1e3, transform: .log, starts: [0.5]),
            Parameter("alpha", "exponent of S1 (intrinsic time)", bounds: 1e-3...3, starts: [0.5]),
            Parameter("B", "scale of the loss drop", bounds: 1e-3...1e6, transform: .log, starts: [100, 500]),
            Parameter("C", "rate scale inside G", bounds: 1e-4...1e3, transform: .log, starts: [1, 2]),
            Parameter("beta", "exponent of G", bounds: 1e-3...5, starts: [0.5]),
            Parameter("gamma", "power of eta_k rescaling S_k(t)", bounds: 0...2, starts: [0.5]),
        ])
    }

    /// Default starts moved to the runs' scales: L0 below the lowest loss, A and C by the square root
    /// of the learning-rate ratio to 3e-4 (S1 and eta^-gamma S_k grow with it), B by its inverse (a
    /// drop per unit of learning rate).
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard let scale = LossCurveScale(runs) else { return parameterSpace }
        return parameterSpace
            .replacingStarts(of: "L0", with: [0.5 * scale.minLoss, 0.9 * scale.minLoss])
            .scalingStarts(of: "A", by: scale.rateFactor.squareRoot())
            .scalingStarts(of: "B", by: 1 / scale.rateFactor)
            .scalingStarts(of: "C", by: 1 / scale.rateFactor.squareRoot())
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        MultiPowerEvaluator(data: try ScheduledPoints(law: self, runs: runs, compression: compression))
    }
}

/// ``MultiPowerLaw`` bound to fixed runs.
struct MultiPowerEvaluator: LawEvaluator {
    let data: ScheduledPoints

    var count: Int { data.points.count }
    var parameterCount: Int { 7 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let l0 = parameters[0], a = parameters[1], alpha = parameters[2], b = parameters[3]
        let c = parameters[4], beta = parameters[5], gamma = parameters[6]
        let p = parameterCount
        predictions = [Double](repeating: 0, count: count)
        let wantJacobian = jacobian != nil
        var jac = wantJacobian ? [Double](repeating: 0, count: count * p) : []
        // Per change point of the run: (drop, tau_{k-1}, eta_k^-gamma, log eta_k).
        data.forEachPoint(packing: \.tauBefore, log: \.logRate, exponent: gamma) { i, point, entries in
            var drop = 0.0, dC = 0.0, dBeta = 0.0, dGamma = 0.0
            @inline(__always) func add(_ k: Int) {
                let e = entries[k]
                let d = e[0]
                guard e[2].isFinite else {  // eta_k = 0: x = infinity, G = 1
                    drop += d
                    return
                }
                let x = e[2] * (point.tau - e[1])
                let w = 1 + c * x
                let logW = log(w)
                let power = exp(-beta * logW)
                drop += d * (1 - power)
                if wantJacobian {
                    let common = d * beta * power * x / w  // d G/dC times d
                    dC += common
                    dGamma -= common * c * e[3]
                    dBeta += d * power * logW
                }
            }
            if let terms = point.terms {
                for k in terms { add(k) }
            } else {
                for k in 0..<point.changePoints { add(k) }
            }
            let decay = exp(-alpha * point.logTau)
            predictions[i] = l0 + a * decay - b * drop
            if wantJacobian {
                let row = i * p
                jac[row] = 1
                jac[row + 1] = decay
                jac[row + 2] = -a * decay * point.logTau
                jac[row + 3] = -drop
                jac[row + 4] = -b * dC
                jac[row + 5] = -b * dBeta
                jac[row + 6] = -b * dGamma
            }
        }
        if wantJacobian { jacobian = jac }
    }
}
