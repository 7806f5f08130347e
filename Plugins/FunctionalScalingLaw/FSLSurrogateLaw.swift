import Foundation
import LawfitCore
import LossCurveSupport
import LossCurveKernel

/// The Functional Scaling Law's LLM surrogate (Li, Chen, Huang, Wang, Wu, "Functional Scaling Laws in
/// Kernel Regression", NeurIPS 2025, arXiv 2509.19189, App. B.2), the 7-parameter form the paper fits
/// to 0.1B-1B LLM loss curves:
///
///     L(k) = L0 + c1 tau_k^-s
///            - sum_{i<=k} (eta_{i-1} - eta_i) (c2 c3 + c2 tau_i^-s) [1 - (1 + c4 (tau_k - tau_i))^-gamma],
///
/// with tau_k = sum_{i<=k} eta_i. It is the theory functional of ``FSLTheory`` with the noise term
/// integrated by parts (Docs/laws/fsl.md: c3 plays sigma^2 and gamma = 1 - 1/beta in the theory; on
/// real curves gamma is fitted freely, 1.4-2.2).
///
/// Parameterisation: on LLM curves the data fix only the product c2 c3 when c2 -> 0 (an unconstrained
/// fit sends c3 to infinity), so the law is fitted in (`c23` = c2 c3, `c2`), which is linear and
/// well-posed; ``FSLSurrogateLaw/c3(from:)`` recovers c3 and says when it is not identified.
/// Only change points (eta_{i-1} != eta_i) contribute, so an evaluation costs
/// O(observations x change points); the Jacobian is analytic. Runs fitted together share parameters.
public struct FSLSurrogateLaw: PartiallyLinearLaw {
    /// How the drop sums merge blocks of change points (``ScheduledPoints``), or `nil` for the exact sums.
    public let compression: TermCompression?

    /// The summand d_i (c23 + c2 tau_i^-s) F(c4 (tau_k - tau_i)) is smooth in log(tau_k - tau_i) and
    /// -s log tau_i, s <= 3 (the parameter box): the default rule, 4 Gauss nodes per merged block
    /// (Docs/laws/fsl.md has its measured error).
    public static let defaultCompression = TermCompression(time: .tau, shape: .logTau, shapeCoefficient: 3)

    /// The law; by default the drop sums are compressed (``defaultCompression``); `nil` sums exactly.
    public init(compression: TermCompression? = FSLSurrogateLaw.defaultCompression) {
        self.compression = compression
    }

    /// The peak learning rate the default starts (of this law and ``FSLTheoryLaw``) were set for:
    /// the multipower-400m runs' (Luo et al. 2025), as the Multi-Power Law's.
    public static let startsPeakRate = 3e-4

    public var name: String { "fsl" }
    public var summary: String {
        "Functional Scaling Law, LLM surrogate with 7 parameters (Li et al., NeurIPS 2025, arXiv 2509.19189, App. B.2)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    /// L = L0 + c1 tau^-s - c23 (noise drop) - c2 (signal drop): linear in L0, c1, c23 and c2.
    public var linearParameters: [String] { ["L0", "c1", "c23", "c2"] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("L0", "irreducible loss", bounds: 0...20, starts: [2.0]),
            Parameter("c1", "amplitude of the signal term c1 tau^-s", bounds: 1e-6...1e3, transform: .log, starts: [0.5]),
            Parameter("s", "source exponent of the signal term", bounds: 1e-3...3, starts: [0.5]),
            Parameter(
                "c23", "c2 c3: loss drop per unit LR decrease from the noise term", bounds: 1e-6...1e6, transform: .log,
                starts: [100, 500]),
            Parameter("c2", "loss drop per unit LR decrease weighting tau_i^-s", bounds: 0...1e6, starts: [0, 10]),
            Parameter("c4", "time scale of the forgetting kernel", bounds: 1e-4...1e6, transform: .log, starts: [1, 10]),
            Parameter("gamma", "exponent of the forgetting kernel (theory: 1 - 1/beta)", bounds: 1e-3...5, starts: [0.5, 1.5]),
        ])
    }

    /// Default starts moved to the runs' scales: L0 below the lowest loss, c1 by the square root of the
    /// learning-rate ratio to 3e-4 (tau grows with it), c23, c2 and c4 by its inverse (per unit of rate).
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard let scale = LossCurveScale(runs) else { return parameterSpace }
        return parameterSpace.adaptingStarts(
            ["L0": .floor, "c1": .rootRate, "c23": .inverseRate, "c2": .inverseRate, "c4": .inverseRate],
            to: scale, startsPeakRate: Self.startsPeakRate)
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        let data = try ScheduledPoints(law: self, runs: runs, compression: compression)
        for (run, changes) in zip(runs, data.runs) where changes.tau.contains(0) {
            throw LawfitError.input(
                "law '\(name)': run '\(run.name)' changes its learning rate where the intrinsic time is still 0; tau_i^-s is undefined there")
        }
        return FSLSurrogateEvaluator(data: data)
    }

    /// c3 = c23 / c2 from fitted values (in ``parameterSpace`` order), or `nil` when c2 is so small
    /// (below 1e-9 of c23) that the data fix only the product c2 c3.
    public static func c3(from parameters: [Double]) -> Double? {
        let c23 = parameters[3], c2 = parameters[4]
        guard c2 > 1e-9 * max(c23, 1e-300) else { return nil }
        return c23 / c2
    }
}

/// ``FSLSurrogateLaw`` bound to fixed runs.
///
/// Each point's drops run in the C kernel `lawfit_fsl_drop` (vectorised, branch-free exp and log):
/// per evaluation, one exp per change-point entry (tau_i^-s, `lawfit_scaled_exp`) and one log and one
/// exp per (point, term). Points are predicted in blocks
/// (``forEachPredictionBlock(count:parameterCount:jacobian:blockSize:fill:_:)``), so a fit never holds
/// a long log's whole Jacobian.
struct FSLSurrogateEvaluator: LawEvaluator {
    let data: ScheduledPoints
    /// Points per prediction block.
    var blockSize = predictionBlockSize

    var count: Int { data.points.count }
    var parameterCount: Int { 7 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        predictGatheringBlocks(parameters, into: &predictions, jacobian: &jacobian)
    }

    func predictBlocks(_ parameters: [Double], jacobian wantJacobian: Bool, threads: BlockThreads, _ body: (PredictionBlock) throws -> Void) rethrows {
        let l0 = parameters[0], c1 = parameters[1], s = parameters[2], c23 = parameters[3]
        let c2 = parameters[4], c4 = parameters[5], gamma = parameters[6]
        let p = parameterCount
        // tau_i^-s per entry (leaves and merged blocks) of each run.
        let decays = data.runs.map { run in
            var decay = [Double](repeating: 0, count: run.count)
            lawfit_scaled_exp(run.count, run.logTau, s, &decay)
            return decay
        }
        // Each block is filled with a cursor and sums of its own, so that blocks can be filled on
        // several threads at once.
        try forEachPredictionBlock(count: count, parameterCount: p, jacobian: wantJacobian, blockSize: blockSize, threads: threads, fill: { range, predictions, jac in
            var cursor = ScheduledPoints.TermCursor(data)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 5) { sums in
                let out = sums.baseAddress!
                // Run by run (a run's points are consecutive), its arrays read through unsafe
                // buffers: no reference counting per point.
                for r in data.runs.indices {
                    let points = data.pointRanges[r].clamped(to: range)
                    guard !points.isEmpty else { continue }
                    data.runs[r].withUnsafeArrays { run in
                        decays[r].withUnsafeBufferPointer { decay in
                            cursor.forEachPoint(in: points) { n, point, indices, terms in
                                lawfit_fsl_drop(
                                    terms, indices, run.drop.baseAddress, run.tau.baseAddress, decay.baseAddress, run.logTau.baseAddress,
                                    point.tau, c4, gamma, c23, c2, wantJacobian ? 1 : 0, out)
                                let noiseDrop = out[0], signalDrop = out[1]
                                let head = exp(-s * point.logTau)
                                let k = n - range.lowerBound
                                predictions[k] = l0 + c1 * head - c23 * noiseDrop - c2 * signalDrop
                                if let jac {
                                    let row = k * p
                                    jac[row] = 1
                                    jac[row + 1] = head
                                    jac[row + 2] = -c1 * head * point.logTau + c2 * out[2]
                                    jac[row + 3] = -noiseDrop
                                    jac[row + 4] = -signalDrop
                                    jac[row + 5] = -out[3]
                                    jac[row + 6] = -out[4]
                                }
                            }
                        }
                    }
                }
            }
        }, body)
    }
}
