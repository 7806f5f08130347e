import Foundation
import LawfitCore

/// One parameter's percentile bootstrap interval next to the value it should cover.
public struct BootstrapCheck: CustomStringConvertible, Sendable {
    public var name: String
    public var truth: Double
    public var interval: Interval

    public var description: String {
        "\(name): truth \(truth), estimate \(interval.estimate), 95% [\(interval.lower), \(interval.upper)]"
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
