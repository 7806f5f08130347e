import Foundation
import LawfitCore
import LossCurveSupport
import LossCurveKernel

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
/// O(observations x change points) after a one-off O(K) pass (``ScheduledPoints``), with one log and
/// one exp per (point, term) in a vectorised C kernel; by default smooth stretches of change points far
/// behind a point are merged into a few Gauss nodes. The Jacobian is analytic.
public struct MultiPowerLaw: PartiallyLinearLaw {
    /// How the loss-drop sum merges blocks of change points (``ScheduledPoints``), or `nil` for the exact sum.
    public let compression: TermCompression?

    /// The summand d_k G(eta_k^-gamma (tau_t - tau_{k-1})) is smooth in log(tau_t - tau_{k-1}) and
    /// -gamma log eta_k, gamma <= 2 (the parameter box): the default rule, 4 Gauss nodes per merged
    /// block, is within 1e-9 relative of the exact sum (2.4e-10 measured on the multipower-400m fit
    /// curves over five parameter sets, Docs/laws/multi-power.md) with 2.5 % of its terms.
    public static let defaultCompression = TermCompression(time: .tauBefore, shape: .logRate, shapeCoefficient: 2)

    /// The law; by default the loss-drop sum is compressed (``defaultCompression``); `nil` sums exactly.
    public init(compression: TermCompression? = MultiPowerLaw.defaultCompression) {
        self.compression = compression
    }

    /// The peak learning rate the default starts were set for: the multipower-400m runs' (Luo et al.
    /// 2025). ``parameterSpace(adaptedTo:)`` scales them by the runs' peak rate over it.
    public static let startsPeakRate = 3e-4

    public var name: String { "multi-power" }
    public var summary: String {
        "Multi-Power Law L0 + A S1^-alpha - LD(t) of loss under any LR schedule (Luo et al., ICLR 2025)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    /// L = L0 + A S1^-alpha - B LD/B: linear in L0, A and B (staged starts solve them first).
    public var linearParameters: [String] { ["L0", "A", "B"] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace(IntrinsicTimePower.parameters + [
            Parameter("B", "scale of the loss drop", bounds: 1e-3...1e6, transform: .log, starts: [100, 500]),
            Parameter("C", "rate scale inside G", bounds: 1e-4...1e3, transform: .log, starts: [1, 2]),
            Parameter("beta", "exponent of G", bounds: 1e-3...5, transform: .log, starts: [0.5]),
            Parameter("gamma", "power of eta_k rescaling S_k(t)", bounds: 0...2, starts: [0.5]),
        ])
    }

    /// Default starts moved to the runs' scales: L0 below the lowest loss, A and C by the square root
    /// of the learning-rate ratio to 3e-4 (S1 and eta^-gamma S_k grow with it), B by its inverse (a
    /// drop per unit of learning rate).
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard let scale = LossCurveScale(runs) else { return parameterSpace }
        return parameterSpace.adaptingStarts(
            ["L0": .floor, "A": .rootRate, "B": .inverseRate, "C": .inverseRootRate], to: scale, startsPeakRate: Self.startsPeakRate)
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        MultiPowerEvaluator(data: try ScheduledPoints(law: self, runs: runs, compression: compression))
    }
}

/// ``MultiPowerLaw`` bound to fixed runs.
///
/// Each point's loss-drop sum runs in the C kernel `lawfit_multipower_drop` (vectorised, branch-free
/// exp and log): per evaluation, one exp per change-point entry (eta_k^-gamma, `lawfit_scaled_exp`),
/// one per point (tau_t^-alpha, `lawfit_scaled_exp` over a block's points) and one log and one exp
/// per (point, term); a point without change points before it (a long log's points before its
/// decay) skips the kernel. Points are predicted in blocks
/// (``forEachPredictionBlock(count:parameterCount:jacobian:fill:_:)``), so a fit never holds a long
/// log's whole Jacobian.
struct MultiPowerEvaluator: LawEvaluator {
    let data: ScheduledPoints
    /// Where some change point has a zero learning rate (G = 1 there whatever C, beta and gamma, and
    /// the kernel needs finite eta_k^-gamma): each point's other terms, and the drops of its
    /// zero-rate ones summed once. Nil when no rate is zero (the terms are the data's own).
    let withoutZeroRates: (termOffsets: [Int], termIndices: [Int32], saturatedDrop: [Double])?

    init(data: ScheduledPoints) {
        self.data = data
        guard data.runs.contains(where: { $0.rate.contains(0) }) else {
            withoutZeroRates = nil
            return
        }
        var offsets = [0], indices: [Int32] = [], saturated: [Double] = []
        var cursor = ScheduledPoints.TermCursor(data)
        for (n, point) in data.points.enumerated() {
            let run = data.runs[point.run]
            var drop = 0.0
            for k in cursor.terms(of: n) {
                if run.rate[k] == 0 { drop += run.drop[k] } else { indices.append(Int32(k)) }
            }
            offsets.append(indices.count)
            saturated.append(drop)
        }
        withoutZeroRates = (offsets, indices, saturated)
    }

    var count: Int { data.points.count }
    var parameterCount: Int { 7 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        predictGatheringBlocks(parameters, into: &predictions, jacobian: &jacobian)
    }

    func predictBlocks(_ parameters: [Double], jacobian wantJacobian: Bool, threads: BlockThreads, _ body: (PredictionBlock) throws -> Void) rethrows {
        let l0 = parameters[0], a = parameters[1], alpha = parameters[2], b = parameters[3]
        let c = parameters[4], beta = parameters[5], gamma = parameters[6]
        let p = parameterCount
        // eta_k^-gamma per entry (leaves and merged blocks) of each run.
        let factors = data.runs.map { run in
            var factor = [Double](repeating: 0, count: run.count)
            lawfit_scaled_exp(run.count, run.logRate, gamma, &factor)
            return factor
        }
        // Each block is filled with a cursor and scratch of its own, so that blocks can be filled
        // on several threads at once.
        try forEachPredictionBlock(count: count, parameterCount: p, jacobian: wantJacobian, threads: threads, fill: { range, predictions, jac in
            var cursor = ScheduledPoints.TermCursor(data)
            // Scratch: the kernel's four sums, then the block's log tau_t and tau_t^-alpha.
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 + 2 * range.count) { scratch in
                let out = scratch.baseAddress!, logTaus = out + 4, decays = out + 4 + range.count
                // tau_t^-alpha of the block's points in one vectorised pass (fast_math.h's exp).
                data.points.withUnsafeBufferPointer { all in
                    for n in range { logTaus[n - range.lowerBound] = all[n].logTau }
                }
                lawfit_scaled_exp(range.count, logTaus, alpha, decays)
                // Run by run (a run's points are consecutive), each run's arrays and factors read
                // through unsafe buffers: no reference counting per point.
                for r in data.runs.indices {
                    let points = data.pointRanges[r].clamped(to: range)
                    guard !points.isEmpty else { continue }
                    data.runs[r].withUnsafeArrays { run in
                        factors[r].withUnsafeBufferPointer { factor in
                            func finish(_ n: Int, _ point: ScheduledPoints.Point, saturated: Double) {
                                let drop = out[0] + saturated
                                let k = n - range.lowerBound
                                let decay = decays[k]
                                predictions[k] = l0 + a * decay - b * drop
                                if let jac {
                                    let row = k * p
                                    jac[row] = 1
                                    jac[row + 1] = decay
                                    jac[row + 2] = -a * decay * point.logTau
                                    jac[row + 3] = -drop
                                    jac[row + 4] = -b * out[1]
                                    jac[row + 5] = -b * out[2]
                                    jac[row + 6] = -b * out[3]
                                }
                            }
                            if let filtered = withoutZeroRates {
                                filtered.termIndices.withUnsafeBufferPointer { indices in
                                    filtered.termOffsets.withUnsafeBufferPointer { offsets in
                                        filtered.saturatedDrop.withUnsafeBufferPointer { saturated in
                                            data.points.withUnsafeBufferPointer { allPoints in
                                                for n in points {
                                                    let point = allPoints[n], first = offsets[n]
                                                    lawfit_multipower_drop(
                                                        offsets[n + 1] - first, indices.baseAddress.map { $0 + first }, run.drop.baseAddress,
                                                        run.tauBefore.baseAddress, factor.baseAddress, run.logRate.baseAddress, point.tau, c, beta,
                                                        wantJacobian ? 1 : 0, out)
                                                    finish(n, point, saturated: saturated[n])
                                                }
                                            }
                                        }
                                    }
                                }
                            } else {
                                cursor.forEachPoint(in: points) { n, point, indices, terms in
                                    if terms == 0 {
                                        // No change point yet (a log's points before its decay): the kernel's
                                        // empty sums, without the call.
                                        out[0] = 0; out[1] = 0; out[2] = 0; out[3] = 0 * -c
                                    } else {
                                        lawfit_multipower_drop(
                                            terms, indices, run.drop.baseAddress, run.tauBefore.baseAddress, factor.baseAddress,
                                            run.logRate.baseAddress, point.tau, c, beta, wantJacobian ? 1 : 0, out)
                                    }
                                    finish(n, point, saturated: 0)
                                }
                            }
                        }
                    }
                }
            }
        }, body)
    }
}
