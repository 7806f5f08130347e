import Foundation
import LawfitCore

/// One parameter's percentile bootstrap interval next to the value it should cover.
public struct BootstrapCheck: CustomStringConvertible, Sendable {
    public var name: String
    public var truth: Double
    public var interval: Interval

    /// Whether the interval covers the true value.
    public var covers: Bool { interval.contains(truth) }
    /// Interval width relative to the true value.
    public var relativeWidth: Double { (interval.upper - interval.lower) / abs(truth) }

    public var description: String {
        let width = String(format: "%.3g", relativeWidth)
        return "\(name): truth \(truth), estimate \(interval.estimate), 95% [\(interval.lower), \(interval.upper)] (width/truth \(width))"
    }
}

/// Fits `law` to `runs` (noisy data made from `truth`) and bootstraps that fit with LawfitCore's
/// ``Bootstrap`` (points resampled with replacement, percentile intervals, each resample refitted
/// from the full fit's best point plus `extraStarts` Halton starts, as `lawfit compare` does);
/// returns each parameter's interval next to its true value, and the number of failed refits.
public func bootstrapRecovery(
    _ law: any ScalingLaw, truth: [Double], runs: [Run], fitOptions: FitOptions = FitOptions(),
    resamples: Int = 40, extraStarts: Int = 0, seed: UInt64 = 7, confidence: Double = 0.95
) async throws -> (checks: [BootstrapCheck], failed: Int) {
    let full = try await LawFitter(law: law, options: fitOptions).fit(runs)
    let options = BootstrapOptions(
        resamples: resamples, unit: .points, seed: seed, confidence: confidence, extraStarts: extraStarts)
    let result = try await Bootstrap.run(law: law, runs: runs, full: full, fitOptions: fitOptions, options: options)
    let checks = zip(result.parameters, truth).map { BootstrapCheck(name: $0.name, truth: $1, interval: $0.interval) }
    return (checks, result.failed)
}

/// Prints every check under `label` and returns those that fail: an interval that misses the truth,
/// or one wider (relative to the truth) than its parameter's limit in `widthLimits`.
public func bootstrapFailures(_ checks: [BootstrapCheck], widthLimits: [Double], label: String) -> [String] {
    guard checks.count == widthLimits.count else { return ["\(checks.count) intervals for \(widthLimits.count) width limits"] }
    var failures: [String] = []
    for (check, limit) in zip(checks, widthLimits) {
        print("\(label), \(check)")
        if !check.covers { failures.append("misses the truth: \(check)") }
        if !(check.relativeWidth < limit) { failures.append("wider than \(limit) of the truth: \(check)") }
    }
    return failures
}
