import Foundation
import LawfitCore

/// How synthetic log-loss noise is drawn in the calibration study.
enum CalibrationNoise: String, CaseIterable {
    /// Epoch's own residuals at the full fit, centred on their median, drawn with replacement: the
    /// data's real noise level and its heavy tails (loss read off a colour bar).
    case residuals
    /// Gaussian in log space with the standard deviation of those residuals.
    case gaussian
}

/// Coverage of the bootstrap's 95 % intervals (issue 9): are Lawfit's Chinchilla intervals honest?
///
/// The truth is the full-grid fit to Epoch AI's 240 points. Each of `datasets` synthetic datasets
/// keeps Epoch's 240 (N, D) pairs and sets log L_i = log L_truth(N_i, D_i) + epsilon_i, with
/// epsilon drawn per `noise`. Each dataset is fitted as Epoch fits (Huber 1e-3 on log residuals,
/// summed, L-BFGS from `starts` Halton points or the 4500-point grid), then bootstrapped exactly as
/// `lawfit compare` does (`resamples` point resamples, percentile intervals). Reported per parameter:
/// the fraction of intervals that contain the truth, with its Monte Carlo standard error
/// sqrt(p (1 - p) / datasets), and the median interval width. The target is 90-98 %.
func runCalibrationBenchmark(
    law: any ScalingLaw, runs: [Run], datasets: Int, resamples: Int, starts: StartPlan, noise: CalibrationNoise, seed: UInt64
) async throws {
    let clock = ContinuousClock.now
    let fitOptions = FitOptions(objective: ObjectiveSpec(loss: .huber(delta: 1e-3), space: .log), seed: seed)
    let truthFit = try await LawFitter(law: law, options: fitOptions).fit(runs)
    let truth = truthFit.values
    let evaluator = try law.makeEvaluator(for: runs)
    let logTruth = evaluator.predict(truth).map { log($0) }
    let observed = try TrainingLog(runs: runs).requireLosses()
    let residuals = zip(observed, logTruth).map { log($0) - $1 }
    let median = residuals.sorted()[residuals.count / 2]
    let centred = residuals.map { $0 - median }
    let sigma = (centred.reduce(0) { $0 + $1 * $1 } / Double(centred.count)).squareRoot()
    print("calibration: \(law.name), \(datasets) synthetic datasets of \(runs.flatMap(\.observations).count) points (Epoch AI's N, D)")
    print("  truth = full-grid fit to Epoch: \(zip(truthFit.parameterNames, truth).map { "\($0)=\(String(format: "%.5g", $1))" }.joined(separator: " "))")
    print("  noise: \(noise.rawValue), residual SD \(String(format: "%.4f", sigma)) in log loss; fits from \(starts); \(resamples) bootstrap resamples each")

    let names = truthFit.parameterNames
    var covered = [Int](repeating: 0, count: names.count)
    var widths = [[Double]](repeating: [], count: names.count)
    var failedFits = 0
    for dataset in 0..<datasets {
        var generator = SplitMix64(seed: SplitMix64.derive(seed, dataset))
        var synthetic = runs
        var point = 0
        for r in synthetic.indices {
            for o in synthetic[r].observations.indices {
                let epsilon: Double = switch noise {
                case .residuals: centred[Int(generator.next() % UInt64(centred.count))]
                case .gaussian: sigma * standardNormal(&generator)
                }
                synthetic[r].observations[o].loss = exp(logTruth[point] + epsilon)
                point += 1
            }
        }
        var options = fitOptions
        options.starts = starts
        do {
            let fit = try await LawFitter(law: law, options: options).fit(synthetic)
            let bootstrap = try await Bootstrap.run(
                law: law, runs: synthetic, full: fit, fitOptions: options,
                options: BootstrapOptions(resamples: resamples, unit: .points, seed: SplitMix64.derive(seed &+ 1, dataset)))
            for (j, parameter) in bootstrap.parameters.enumerated() {
                let interval = parameter.interval
                if interval.lower <= truth[j] && truth[j] <= interval.upper { covered[j] += 1 }
                widths[j].append(interval.upper - interval.lower)
            }
        } catch {
            failedFits += 1
            print("  dataset \(dataset): \(error)")
        }
        if (dataset + 1) % 20 == 0 { print("  \(dataset + 1) datasets done (\(ContinuousClock.now - clock))") }
    }
    let done = datasets - failedFits
    print("  parameter  truth       coverage of 95 % intervals   median width")
    for j in names.indices {
        let p = Double(covered[j]) / Double(max(done, 1))
        let standardError = (p * (1 - p) / Double(max(done, 1))).squareRoot()
        let width = widths[j].sorted()[widths[j].count / 2]
        let verdict = p >= 0.90 && p <= 0.98 ? "in 90-98 %" : "OUTSIDE 90-98 %"
        print("  \(names[j].padding(toLength: 9, withPad: " ", startingAt: 0))  \(String(format: "%-10.5g", truth[j]))  \(String(format: "%5.1f", 100 * p)) % ± \(String(format: "%.1f", 100 * standardError)) (\(covered[j])/\(done)) \(verdict)   \(String(format: "%.4g", width))")
    }
    print("  \(failedFits) of \(datasets) datasets failed; total \(ContinuousClock.now - clock)")
}

/// A standard normal draw by Box-Muller from two uniform draws of `generator` (the angle's in
/// [0, 1), not centred: this benchmark's stream since it was written).
private func standardNormal(_ generator: inout SplitMix64) -> Double {
    let u1 = generator.nextOpenUnit()
    return BoxMuller.normal(u1, Double(generator.next() >> 11) * 0x1p-53)
}
