import Foundation
import Optimization

/// Finds the learning-rate schedule that minimises a fitted schedule law's predicted final loss for a
/// fixed budget of steps and a fixed peak rate (issue 5, item 6; Docs/ScheduleOptimization.md).
///
/// Law-generic: any ``ScalingLaw`` whose ``ScalingLaw/requiredInputs`` are `[.step, .schedule]`
/// (`fsl`, `fsl-theory`, `multi-power`, `lr-annealing`). The law predicts the loss at step
/// `totalSteps` of a one-point run under each candidate schedule; NLopt (LN_BOBYQA, or LN_SBPLX in
/// one dimension) minimises that prediction over the family's continuous parameters from the best
/// point of a small start grid. Every candidate starts with the same linear warmup from 0 to `peak`.
public enum ScheduleOptimizer {
    /// The fixed fractions of the post-warmup steps where the free-form schedule has its knots
    /// (denser towards the end, where the decay happens).
    public static let freeFormKnots: [Double] = [0, 0.4, 0.6, 0.72, 0.82, 0.9, 0.96, 1]

    /// The best schedule of `family` for `law` at `parameters`.
    ///
    /// - Parameters:
    ///   - parameters: fitted values in the order of the law's ``ScalingLaw/parameterSpace``.
    ///   - totalSteps: the budget T (the schedule's last step; the loss is predicted there).
    ///   - peak: the peak learning rate (> 0), reached at the end of the warmup and never exceeded.
    ///   - warmup: steps of linear warmup from 0 (0 for none).
    ///   - progress: called after each evaluation with evaluations done of the most the search may
    ///     take (its grids plus NLopt's evaluation limits) and the best loss so far; the last call
    ///     has done == total == the evaluations taken.
    ///   - registry: resolves the schedule names (`wsd`, `cosine`, `table`) of the candidate specs.
    /// - Throws: ``LawfitError`` (input) when the law does not take a schedule, the parameter count is
    ///   wrong, or the budget is too short for the family; (fit) when the law predicts a non-finite
    ///   loss for a candidate.
    public static func optimize(
        law: any ScalingLaw, parameters: [Double], family: ScheduleFamily, totalSteps: Int, peak: Double,
        warmup: Int = 0, registry: PluginRegistry, progress: (@Sendable (StartProgress) -> Void)? = nil
    ) throws -> ScheduleOptimum {
        guard law.requiredInputs == [.step, .schedule] else {
            throw LawfitError.input("law '\(law.name)' does not predict a loss curve from a schedule; schedule optimisation needs a law with inputs step and schedule")
        }
        guard parameters.count == law.parameterSpace.count else {
            throw LawfitError.input("law '\(law.name)' has \(law.parameterSpace.count) parameters, got \(parameters.count)")
        }
        guard peak > 0, peak.isFinite else { throw LawfitError.input("the peak learning rate must be finite and > 0, got \(peak)") }
        guard warmup >= 0, totalSteps - warmup >= 4 * freeFormKnots.count else {
            throw LawfitError.input("the budget of \(totalSteps) steps leaves \(totalSteps - warmup) after a warmup of \(warmup); schedule optimisation needs at least \(4 * freeFormKnots.count)")
        }
        let budget = switch family {
        case .cosine: 2 + 150
        case .wsd: DecayShape.allCases.count * (8 + 300)
        case .free: 2 + 150 * (freeFormKnots.count - 1)
        }
        let search = Search(
            law: law, parameters: parameters, totalSteps: totalSteps, peak: peak, warmup: warmup, registry: registry,
            progress: progress, budget: budget)
        let best: (spec: String, loss: Double)
        switch family {
        case .cosine:
            best = try search.minimize(grid: [[0], [0.1]], lower: [0], upper: [1]) { x in
                "cosine(peak=\(SpecText.number(peak)), floor=\(SpecText.number(peak * x[0])), warmup=\(warmup), total=\(totalSteps))"
            }
        case .wsd:
            var candidates: [(spec: String, loss: Double)] = []
            for shape in DecayShape.allCases {
                // Geometric decay needs a positive floor: its floor ratio is searched in [1e-3, 1].
                let lowest = shape == .geometric ? 1e-3 : 0
                // The decay starts after the warmup: decay_fraction <= (T - warmup) / T.
                let shortest = 2.0 / Double(totalSteps), longest = Double(totalSteps - warmup) / Double(totalSteps)
                let grid = [0.1, 0.2, 0.35, 0.6].flatMap { f in [lowest, 0.05].map { [min(f, longest), $0] } }
                candidates.append(try search.minimize(grid: grid, lower: [shortest, lowest], upper: [longest, 1]) { x in
                    "wsd(peak=\(SpecText.number(peak)), warmup=\(warmup), decay_fraction=\(SpecText.number(x[0])), total=\(totalSteps), floor=\(SpecText.number(peak * x[1])), shape=\(shape.rawValue))"
                })
            }
            best = candidates.min { $0.loss < $1.loss }!
        case .free:
            // x[k] in [0, 1]: knot k+1 keeps the fraction 1 - x[k] of knot k's rate (monotone by construction).
            let linear = (1..<freeFormKnots.count).map { k in
                freeFormKnots[k] == 1 ? 1 : 1 - (1 - freeFormKnots[k]) / (1 - freeFormKnots[k - 1])
            }
            let flatThenDrop = (1..<freeFormKnots.count).map { k in k == freeFormKnots.count - 1 ? 0.9 : freeFormKnots[k] >= 0.82 ? 0.3 : 0 }
            let n = freeFormKnots.count - 1
            best = try search.minimize(grid: [linear, flatThenDrop], lower: Array(repeating: 0, count: n), upper: Array(repeating: 1, count: n)) { x in
                freeFormSpec(x, totalSteps: totalSteps, peak: peak, warmup: warmup)
            }
        }
        // The search ends with the evaluations it took (at most `budget`, the count shown while it ran).
        progress?(StartProgress(done: search.evaluations.value, total: search.evaluations.value, best: best.loss))
        let schedule = try ScheduleSpec.parse(best.spec, registry: registry)
        return ScheduleOptimum(spec: best.spec, schedule: schedule, predictedFinalLoss: best.loss, evaluations: search.evaluations.value)
    }

    /// The inline table of the free-form schedule with decrements `x` (see ``freeFormKnots``).
    static func freeFormSpec(_ x: [Double], totalSteps: Int, peak: Double, warmup: Int) -> String {
        var points: [(Int, Double)] = warmup > 0 ? [(0, 0)] : []
        var rate = peak
        let span = Double(totalSteps - warmup)
        for (k, fraction) in freeFormKnots.enumerated() {
            if k > 0 { rate *= 1 - min(max(x[k - 1], 0), 1) }
            points.append((warmup + Int((fraction * span).rounded()), rate))
        }
        let body = points.map { "\($0.0):\(SpecText.number($0.1))" }.joined(separator: ", ")
        return "table(\(body), end=\(totalSteps))"
    }
}

/// One optimisation problem: predicts the final loss of candidate specs and counts evaluations.
private struct Search {
    let law: any ScalingLaw
    let parameters: [Double]
    let totalSteps: Int
    let peak: Double
    let warmup: Int
    let registry: PluginRegistry
    let progress: (@Sendable (StartProgress) -> Void)?
    /// The most evaluations the search may take, for progress.
    let budget: Int
    let evaluations = Counter()

    final class Counter: @unchecked Sendable {
        var value = 0
        var best = Double.infinity
    }

    /// The law's predicted loss at the last step of the schedule `spec`.
    func finalLoss(_ spec: String) throws -> Double {
        evaluations.value += 1
        defer {
            progress?(StartProgress(done: min(evaluations.value, budget - 1), total: budget, best: evaluations.best.isFinite ? evaluations.best : nil))
        }
        let schedule = DenseSchedule(try ScheduleSpec.parse(spec, registry: registry))
        let run = Run(name: "candidate", observations: [Observation(step: totalSteps)], schedule: schedule)
        let loss = try law.makeEvaluator(for: [run]).predict(parameters)[0]
        guard loss.isFinite else {
            throw LawfitError.fit("law '\(law.name)' predicts a non-finite final loss (\(loss)) for schedule \(spec)")
        }
        evaluations.best = min(evaluations.best, loss)
        return loss
    }

    /// Evaluates the grid, then runs NLopt from its best point within the bounds.
    func minimize(grid: [[Double]], lower: [Double], upper: [Double], spec: @escaping ([Double]) -> String) throws -> (spec: String, loss: Double) {
        var start = grid[0], startLoss = Double.infinity
        for x in grid {
            let loss = try finalLoss(spec(x))
            if loss < startLoss { (start, startLoss) = (x, loss) }
        }
        let minimizer = Minimizer(
            algorithm: lower.count == 1 ? .sbplx : .bobyqa, lowerBounds: lower, upperBounds: upper,
            stopping: StoppingCriteria(ftolRel: 1e-10, xtolRel: 1e-6, maxEvaluations: 150 * lower.count))
        var failure: (any Error)?
        let result = try minimizer.minimize(from: start) { x, _ in
            do { return try finalLoss(spec(Array(x))) } catch {
                failure = failure ?? error
                throw error
            }
        }
        if let failure { throw failure }
        if result.value < startLoss { return (spec(result.x), result.value) }
        return (spec(start), startLoss)
    }
}
