import Foundation
import LawfitCore
import LossCurveSupport
import Testing
import TestSupport
@testable import ScheduleLaws

/// A long log is predicted, summed and measured block by block. Here the blocks are 7 points (the
/// production size is ``predictionBlockSize``), on two runs whose boundary falls inside a block,
/// against the paper's recursion and against the same quantities computed in one block.
@Suite("Blockwise evaluation and statistics")
struct BlockwiseEvaluationTests {
    private struct Ramp: LearningRateSchedule {
        let total: Int, decayFrom: Int
        var totalSteps: Int { total }
        var spec: String { "ramp" }
        func rate(at step: Int) -> Double {
            if step < 5 { return 0.01 * Double(step + 1) / 5 }
            if step < decayFrom { return 0.01 }
            return 0.01 - 0.009 * Double(step - decayFrom) / Double(total - decayFrom)
        }
    }

    /// Two runs: 60 steps logged at every step and 45 logged every other step, losses from the law
    /// at `truth` times a deterministic wiggle (so residuals are not zero) inside Huber's delta (1e-3), where
    /// the objective has curvature in every direction.
    private static func runs(truth: [Double]) throws -> [Run] {
        let plans = [(Ramp(total: 60, decayFrom: 40), Array(1...60)), (Ramp(total: 90, decayFrom: 50), Array(stride(from: 2, through: 90, by: 2)))]
        var runs = plans.enumerated().map { r, plan in
            Run(name: "run\(r)", observations: plan.1.map { Observation(step: $0) }, schedule: DenseSchedule(plan.0))
        }
        let clean = try LRAnnealingLaw().makeEvaluator(for: runs).predict(truth)
        var k = 0
        for r in runs.indices {
            for i in runs[r].observations.indices {
                runs[r].observations[i].loss = clean[k] * (1 + 0.0005 * sin(Double(k) * 1.7))
                k += 1
            }
        }
        return runs
    }

    private static let truth = [2.0, 0.7, 0.45, 3.0, 0.95]

    /// max |a_i - b_i| over max |b_i| (entries near zero compared on the array's scale); NaN when
    /// any difference is NaN, so a `<=` check fails.
    private static func scaledError(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, let scale = b.map(abs).max(), scale > 0 else { return .nan }
        var worst = 0.0
        for (x, y) in zip(a, b) {
            let error = abs(x - y) / scale
            if !(error <= worst) { worst = error }
        }
        return worst
    }

    private static func evaluator(_ runs: [Run], blockSize: Int) throws -> LRAnnealingEvaluator {
        LRAnnealingEvaluator(data: try ScheduledPoints(law: LRAnnealingLaw(), runs: runs), blockSize: blockSize)
    }

    @Test("lr-annealing in blocks of 7 across a run boundary equals the momentum recursion of Tissue et al. to 1e-12")
    func lrAnnealingBlocksMatchRecursion() throws {
        let runs = try Self.runs(truth: Self.truth)
        let p = [2.1, 0.6, 0.5, 2.0, 0.9]
        var blocks: [Range<Int>] = [], values: [Double] = []
        try Self.evaluator(runs, blockSize: 7).predictBlocks(p, jacobian: true) { block in
            blocks.append(block.points)
            values += block.predictions
        }
        #expect(blocks.count == 15 && blocks.allSatisfy { $0.count <= 7 } && blocks.last?.upperBound == 105)
        var k = 0
        var worst = 0.0
        for run in runs {
            let eta = run.schedule!.rates
            let direct = lrAnnealingByMomentumRecursion(p, rates: eta)
            for observation in run.observations {
                let error = abs(values[k] / direct[observation.step!] - 1)
                if !(error <= worst) { worst = error }
                k += 1
            }
        }
        #expect(k == values.count)
        #expect(worst <= 1e-12, "worst relative deviation \(worst)")
        #expect(jacobianError(try Self.evaluator(runs, blockSize: 7), at: p) < 1e-6)
    }

    @Test("the objective, its gradient and Gauss-Newton curvature summed in blocks of 7 equal one block's to 1e-12")
    func objectiveBlocksMatchOneBlock() throws {
        let runs = try Self.runs(truth: Self.truth)
        let space = LRAnnealingLaw().parameterSpace(adaptedTo: runs)
        let observed = try TrainingLog(runs: runs).requireLosses()
        let u = space.toInternal([2.1, 0.6, 0.5, 2.0, 0.9])
        func evaluate(_ blockSize: Int) throws -> (Double, [Double], [Double]) {
            let objective = try BoundObjective(
                evaluator: try Self.evaluator(runs, blockSize: blockSize), space: space, observed: observed, spec: ObjectiveSpec())
            var gradient = [Double](repeating: 0, count: 5), curvature = [Double](repeating: 0, count: 25)
            let model = objective.makeModelObjective()
            let value = try u.withUnsafeBufferPointer { x in
                try gradient.withUnsafeMutableBufferPointer { g in
                    try curvature.withUnsafeMutableBufferPointer { c in try model(x, g, c) }
                }
            }
            return (value, gradient, curvature)
        }
        let (value, gradient, curvature) = try evaluate(7)
        let (one, oneGradient, oneCurvature) = try evaluate(predictionBlockSize)
        #expect(abs(value - one) <= 1e-12 * abs(one))
        #expect(Self.scaledError(gradient, oneGradient) <= 1e-12)
        #expect(Self.scaledError(curvature, oneCurvature) <= 1e-12)
    }

    @Test("fit statistics from blocks of 7 and the fit's own Hessian equal one-block statistics computed afresh to 1e-12")
    func statisticsBlocksMatchOneBlock() throws {
        let runs = try Self.runs(truth: Self.truth)
        let law = LRAnnealingLaw()
        // A fit at the generating values (read as `lawfit predict` reads a fit file), with the
        // curvature the fitter attaches: the one-block objective's Gauss-Newton matrix, at the values' coordinates.
        let names = law.parameterSpace.names
        let json = "{\"law\": \"lr-annealing\", \"parameter_order\": [\(names.map { "\"\($0)\"" }.joined(separator: ", "))], \"parameters\": {"
            + zip(names, Self.truth).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}}"
        var fit = try JSONDecoder().decode(FitResult.self, from: Data(json.utf8))
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace(adaptedTo: runs),
            observed: try TrainingLog(runs: runs).requireLosses(), spec: fit.objectiveSpec)
        fit.hessian = try ObjectiveHessian.gaussNewton(objective, at: objective.space.toInternal(fit.values))
        let blocked = try BoundObjective(
            evaluator: try Self.evaluator(runs, blockSize: 7), space: objective.space, observed: objective.observed, spec: fit.objectiveSpec)
        let fromBlocks = try FitStatistics(objective: blocked, fit: fit)
        // Independent of both the blocks and the reused curvature: a fresh evaluator, a fresh one,
        // metrics from whole arrays of predictions.
        let fresh = try FitStatistics(law: law, fit: fit, runs: runs)
        let arrays = try PredictionMetrics(predicted: law.makeEvaluator(for: runs).predict(fit.values), observed: objective.observed)
        for reference in [fresh.metrics, arrays] {
            let pairs = [
                (fromBlocks.metrics.rmse, reference.rmse), (fromBlocks.metrics.mae, reference.mae),
                (fromBlocks.metrics.meanRelativeError, reference.meanRelativeError), (fromBlocks.metrics.maxRelativeError, reference.maxRelativeError),
                (fromBlocks.metrics.logRMSE, reference.logRMSE), (fromBlocks.metrics.logMAE, reference.logMAE),
                (fromBlocks.metrics.r2 ?? .nan, reference.r2 ?? .nan), (fromBlocks.metrics.logR2 ?? .nan, reference.logR2 ?? .nan),
            ]
            for (got, want) in pairs { #expect(abs(got - want) <= 1e-12 * abs(want), "\(got) vs \(want)") }
        }
        let covariance = try #require(fromBlocks.laplace?.covariance, "\(fromBlocks.laplaceError ?? "")"), freshCovariance = try #require(fresh.laplace?.covariance)
        #expect(Self.scaledError(covariance.flatMap { $0 }, freshCovariance.flatMap { $0 }) <= 1e-12)
        for (a, b) in zip(fromBlocks.laplace!.parameters, fresh.laplace!.parameters) {
            #expect(abs(a.interval.standardError - b.interval.standardError) <= 1e-12 * b.interval.standardError)
        }
    }
}
