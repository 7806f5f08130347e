import Foundation
import LawfitCore

/// The parameter-free part of a schedule law's evaluation, computed once per evaluator.
///
/// Loss-curve laws of the Multi-Power / LR-annealing / FSL family predict the loss after t updates
/// from the intrinsic time tau_t = sum_{i<=t} eta_i and a loss-drop sum over the steps i <= t where
/// the rate changes (eta_{i-1} != eta_i); every other step contributes zero. This holds each run's
/// change points (as arrays, for a tight inner loop) and, for each observed point, its tau_t and how
/// many change points precede it, so one evaluation costs O(change points + observations x change
/// points) instead of the naive O(K^2).
struct ScheduledPoints: Sendable {
    /// The change points of one run, in step order (index k is the k-th change point).
    struct ChangePoints: Sendable {
        /// Step i of the change (1-based update index).
        var step: [Int] = []
        /// eta_{i-1} - eta_i (negative during warmup).
        var drop: [Double] = []
        /// eta_i.
        var rate: [Double] = []
        /// log eta_i (-infinity where eta_i = 0).
        var logRate: [Double] = []
        /// tau_{i-1} = sum_{j<i} eta_j.
        var tauBefore: [Double] = []
        /// tau_i = sum_{j<=i} eta_j.
        var tau: [Double] = []
        /// log tau_i (-infinity where tau_i = 0).
        var logTau: [Double] = []
        var count: Int { step.count }
    }

    /// One observed point.
    struct Point: Sendable {
        var step: Int
        /// tau_t at the point (> 0).
        var tau: Double
        /// log tau_t.
        var logTau: Double
        /// Which run it belongs to.
        var run: Int
        /// How many of the run's change points have step <= t.
        var changePoints: Int
    }

    var points: [Point] = []
    var runs: [ChangePoints] = []

    /// Gathers the points and change points of `runs` for `law`.
    ///
    /// - Throws: ``LawfitError`` (input) when a run has no schedule, a point has no step, a step
    ///   lies outside `1...totalSteps` of the run's schedule, or tau_t is not positive there.
    init(law: any ScalingLaw, runs: [Run]) throws {
        try law.validate(runs)
        for (r, run) in runs.enumerated() {
            guard let schedule = run.schedule else {
                throw LawfitError.input("law '\(law.name)' needs a learning-rate schedule for run '\(run.name)'")
            }
            let rates = schedule.rates, tau = schedule.intrinsicTime
            var changes = ChangePoints()
            if rates.count > 1 {
                for i in 1..<rates.count where rates[i] != rates[i - 1] {
                    guard rates[i] >= 0, rates[i].isFinite else {
                        throw LawfitError.input("law '\(law.name)': run '\(run.name)' has learning rate \(rates[i]) at step \(i); rates must be finite and >= 0")
                    }
                    changes.step.append(i)
                    changes.drop.append(rates[i - 1] - rates[i])
                    changes.rate.append(rates[i])
                    changes.logRate.append(rates[i] > 0 ? log(rates[i]) : -.infinity)
                    changes.tauBefore.append(tau[i - 1])
                    changes.tau.append(tau[i])
                    changes.logTau.append(log(tau[i]))
                }
            }
            for observation in run.observations {
                let location = SourceLocation(file: run.source ?? run.name, line: observation.line, column: "step")
                guard let step = observation.step else {
                    throw LawfitError.input("law '\(law.name)' needs a step for every point of run '\(run.name)'", at: location)
                }
                guard step >= 1, step <= schedule.totalSteps else {
                    throw LawfitError.input(
                        "law '\(law.name)': step \(step) of run '\(run.name)' is outside its schedule (1...\(schedule.totalSteps))",
                        at: location)
                }
                guard tau[step] > 0 else {
                    throw LawfitError.input(
                        "law '\(law.name)': the intrinsic time (sum of learning rates) of run '\(run.name)' is 0 at step \(step); the law needs it positive",
                        at: location)
                }
                let preceding = Self.count(of: changes.step, atMost: step)
                points.append(Point(step: step, tau: tau[step], logTau: log(tau[step]), run: r, changePoints: preceding))
            }
            self.runs.append(changes)
        }
    }

    /// The number of entries of the sorted array `steps` that are <= `step` (binary search).
    private static func count(of steps: [Int], atMost step: Int) -> Int {
        var low = 0, high = steps.count
        while low < high {
            let mid = (low + high) / 2
            if steps[mid] <= step { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
