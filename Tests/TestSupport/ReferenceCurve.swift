import Foundation
import LawfitCore

/// The schedule of `scripts/reference_points.py`, which computes the always-on reference values of
/// the loss-curve laws by direct double sums over every step (independent of the laws' change-point
/// evaluation): eta_0 = 0, warmup over 30 updates linear from 0 to 3e-4, constant to update 150, a
/// sharp drop to 1e-4 for updates 151-200, then cosine from 1e-4 to 1e-5 over updates 201-300.
public struct ReferenceCurveSchedule: LearningRateSchedule {
    public init() {}
    public var totalSteps: Int { 300 }
    public var spec: String { "reference-curve" }
    public func rate(at step: Int) -> Double {
        let peak = 3e-4
        if step <= 30 { return peak * Double(step) / 30 }
        if step <= 150 { return peak }
        if step <= 200 { return 1e-4 }
        let t = Double(step - 200) / 100
        return 1e-5 + 0.5 * (1e-4 - 1e-5) * (1 + cos(Double.pi * t))
    }

    /// One run with a point at each of `steps` (no losses) and this schedule.
    public static func run(at steps: [Int]) -> Run {
        Run(
            name: "reference-curve", observations: steps.map { Observation(step: $0) },
            schedule: DenseSchedule(ReferenceCurveSchedule()))
    }
}

/// The worst relative difference between `values` and `expected`; NaN or infinity when any value is
/// not finite (so a `<=` check against a tolerance fails), and infinity on a count mismatch.
public func worstRelativeError(_ values: [Double], _ expected: [Double]) -> Double {
    guard values.count == expected.count else { return .infinity }
    var worst = 0.0
    for (value, reference) in zip(values, expected) {
        let error = abs(value / reference - 1)
        if !(error <= worst) { worst = error }  // NaN replaces worst and stays (NaN <= x is false)
        if worst.isNaN { return .nan }
    }
    return worst
}
