import Foundation
import LawfitCore

/// Epoch AI's bootstrap of the Chinchilla fit (Besiroglu et al. 2024, arXiv 2404.10102, sec. 3 and
/// table 1): 4000 resamples of the 240 points give 95 % intervals alpha 0.317-0.373, beta 0.331-0.415,
/// E 1.769-1.871 (../shared/datasets/README.md).
///
/// Fits `law` (Epoch's objective: Huber delta 1e-3 on log residuals, summed, L-BFGS from the law's
/// default start grid), then bootstraps `resamples` point resamples (each refitted from the full fit's
/// best point plus 4 Halton starts) and prints every parameter's percentile interval next to Epoch's,
/// with the wall time. `lawfit-bench bootstrap` runs it with the Chinchilla law on the Epoch runs.
func runBootstrapBenchmark(law: any ScalingLaw, runs: [Run], resamples: Int) async throws {
    let epoch: [String: (Double, Double)] = ["alpha": (0.317, 0.373), "beta": (0.331, 0.415), "E": (1.769, 1.871)]
    let fitOptions = FitOptions(objective: ObjectiveSpec(loss: .huber(delta: 1e-3), space: .log), seed: 0)
    let clock = ContinuousClock.now
    let full = try await LawFitter(law: law, options: fitOptions).fit(runs)
    let fitTime = ContinuousClock.now - clock
    print("bootstrap benchmark: \(law.name) on \(full.points) points, full fit objective \(full.objective) (\(fitTime))")
    let options = BootstrapOptions(resamples: resamples, unit: .points, seed: 0, confidence: 0.95, extraStarts: 4)
    let start = ContinuousClock.now
    let result = try await Bootstrap.run(law: law, runs: runs, full: full, fitOptions: fitOptions, options: options)
    let elapsed = ContinuousClock.now - start
    print("  \(result.resamples) resamples (\(result.failed) failed), \(result.refit); \(elapsed) on \(options.workers) workers")
    for parameter in result.parameters {
        let i = parameter.interval
        var line = "  \(parameter.name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%.5g", i.estimate))  95 %% CI [\(String(format: "%.4g", i.lower)), \(String(format: "%.4g", i.upper))]  SE \(String(format: "%.4g", i.standardError))"
        if let (low, high) = epoch[parameter.name] {
            line += "  Epoch [\(low), \(high)]"
            let overlapTolerance = 0.25 * (high - low)
            let consistent = abs(i.lower - low) <= overlapTolerance && abs(i.upper - high) <= overlapTolerance
            line += consistent ? "  consistent" : "  DIFFERS"
        }
        print(line.replacingOccurrences(of: "%%", with: "%"))
    }
}
