import BuiltinPlugins
import Foundation
import LawfitCore

/// The jobs users run, timed on the path `lawfit fit` and `lawfit compare` take with default options
/// (`FitOptions(workers: 2)`: the default local method, start grid and stopping; no benchmark-only
/// starts): seconds (wall and CPU), evaluations, objective and held-out error, side by side.
///
/// 1. joint fits on multipower-400m cosine_24000 + constant_24000 + wsdcon_9 (held out: the six
///    other curves) for multi-power, fsl, lr-annealing and fsl-theory;
/// 2. fsl on lr-scheduling-124m stable_50000 + cosine10_25000 (val loss; the W&B export's `_step`
///    and `val/loss` columns, schedule warmup 300 steps linear from peak/100, peak 1e-3);
/// 3. `compare` of the three loss-curve laws on the nine multipower-400m curves with a 200-resample
///    run-level bootstrap (``runCompareBenchmark(_:resamples:laws:json:)``, also `lawfit-bench compare` on its own);
/// 4. the full 4500-start Chinchilla grid on Epoch AI's data, run by the `lawfit` binary.
///
/// `LAWFIT_BENCH_THEORY=0` leaves out the fsl-theory fit.
func runDefaultPathBenchmark() async throws {
    let registry = try BuiltinPlugins.makeRegistry()
    emit("job                                   wall s   CPU s  evaluations  starts (best)  objective           held-out mean rel %")
    let options = FitOptions(workers: 2)
    if let (fitRuns, testRuns) = try multipowerCurves(registry) {
        let theory = ProcessInfo.processInfo.environment["LAWFIT_BENCH_THEORY"] != "0"
        for name in ["multi-power", "fsl", "lr-annealing"] + (theory ? ["fsl-theory"] : []) {
            let law = try registry.law(named: name)
            let (result, cpu) = try await timedFit(law, fitRuns, options)
            let heldOut = try meanRelativeError(law, result.values, testRuns)
            printRow("400M \(name)", result, cpu: cpu, heldOut: heldOut)
        }
    }
    if let runs = try lrScheduling124M() {
        let law = try registry.law(named: "fsl")
        let (result, cpu) = try await timedFit(law, runs, options)
        printRow("124M fsl (2 runs, val loss)", result, cpu: cpu, heldOut: nil)
    }
    try await runCompareBenchmark(registry)
    try runChinchillaCommand()
}

/// The 4500-start Chinchilla grid as users run it: the `lawfit` binary of this build on Epoch AI's
/// file, with Docs/laws/chinchilla.md's command (the process's own setup, malloc's included, is
/// part of what is timed: in-process timing once hid 0.5 s of page faults that only `lawfit` paid).
private func runChinchillaCommand() throws {
    let data = try sharedFile("datasets/chinchilla-epoch/svg_extracted_data.csv").path
    guard let lawfit = lawfitBinary() else {
        emit("skipping the Chinchilla job: no lawfit binary beside this one (swift build -c release --product lawfit)")
        return
    }
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-bench-chinchilla-\(getpid()).txt").path
    defer { try? FileManager.default.removeItem(atPath: report) }
    let run = try runChild(lawfit, [
        "fit", "--law", "chinchilla", "--data", data, "--params", "Model Size", "--compute", "Training FLOP",
        "--drop-highest-loss", "5", "--quiet", "--output", report,
    ])
    guard run.status == 0, let text = try? String(contentsOfFile: report, encoding: .utf8) else {
        emit("Chinchilla 4500-start grid: lawfit exited \(run.status): \(run.standardError.split(separator: "\n").last ?? "")")
        return
    }
    // "starts = 4500 (4500 succeeded, 549 reached the best basin)" -> "4500 (549)"
    let starts = reportField("starts", in: text).map { line -> String in
        let numbers = line.split(whereSeparator: { !$0.isNumber }).map(String.init)
        return numbers.count == 3 ? "\(numbers[0]) (\(numbers[2]))" : line
    } ?? "?"
    emit(
        "\(pad("Chinchilla 4500-start grid (lawfit)", 37)) \(pad(String(format: "%.2f", run.wall), 8)) \(pad(String(format: "%.2f", run.cpu), 7))  "
            + "\(pad(reportField("evaluations", in: text) ?? "?", 11))  \(pad(starts, 13))  \(pad(reportField("best objective", in: text) ?? "?", 18))  -")
}

/// `compare` of multi-power, fsl and lr-annealing on the nine multipower-400m curves with a
/// 200-resample run-level bootstrap: ``ModelSelection`` with the options `lawfit compare
/// --bootstrap 200 --bootstrap-unit runs --workers 2` builds (default split: the last 20 % of each
/// curve's steps held out). Prints, per law, its full fit's objective, the evaluations of its fit and
/// its 200 refits, and its held-out mean relative error; then the whole job's wall and CPU seconds.
/// `resamples` and `laws` make a smaller proxy while iterating; `json` receives the report's JSON
/// (what `lawfit compare` writes as report.json), to compare intervals between versions.
func runCompareBenchmark(
    _ registry: PluginRegistry, resamples: Int = 200, laws names: [String] = ["multi-power", "fsl", "lr-annealing"], json: String? = nil
) async throws {
    guard let (fitRuns, testRuns) = try multipowerCurves(registry) else { return }
    let laws = try names.map { try registry.law(named: $0) }
    let stages = StageLog()
    let options = FitOptions(workers: 2)
    let selection = ModelSelection(
        laws: laws, fitOptions: options, bootstrap: BootstrapOptions(resamples: resamples, unit: .runs, seed: 0, workers: options.workers),
        progress: { stages.note("\($0.law) \($0.stage.rawValue)") })
    let cpu = processorSeconds()
    var report: SelectionReport?
    let wall = try await asyncSeconds { report = try await selection.run(fitRuns + testRuns) }
    let cpuSeconds = processorSeconds() - cpu
    for law in report!.laws {
        let objective = law.fit.map { String(format: "%.16g", $0.objective) } ?? "-"
        let heldOut = law.test.map { String(format: "%.3f", 100 * $0.meanRelativeError) } ?? "-"
        let failed = law.bootstrap.map { " (\($0.failed) of \($0.resamples) refits failed)" } ?? ""
        emit("  compare \(pad(law.law, 13)) evaluations \(pad(String(law.evaluations), 7))  objective \(pad(objective, 22))  held-out mean rel % \(heldOut)\(failed)")
    }
    if let json { try ReportWriter.json(report!).write(toFile: json, atomically: true, encoding: .utf8) }
    let ranked = report!.ranked.map(\.law).joined(separator: " > ")
    emit("compare \(laws.count) laws, 9 curves, bootstrap \(resamples) (runs)  \(pad(String(format: "%.2f", wall), 8)) \(pad(String(format: "%.2f", cpuSeconds), 7))  ranking: \(ranked)")
}

/// Fits `law` by ``LawFitter`` (what `lawfit fit` calls) and returns the result with its CPU seconds.
private func timedFit(_ law: any ScalingLaw, _ runs: [Run], _ options: FitOptions) async throws -> (FitResult, Double) {
    let cpu = processorSeconds()
    let result = try await LawFitter(law: law, options: options).fit(runs)
    return (result, processorSeconds() - cpu)
}

private func printRow(_ job: String, _ result: FitResult, cpu: Double, heldOut: Double?) {
    let starts = "\(result.starts.count) (\(result.startsInBestBasin))"
    emit(
        "\(pad(job, 37)) \(pad(String(format: "%.2f", result.seconds), 8)) \(pad(String(format: "%.2f", cpu), 7))  "
            + "\(pad(String(result.evaluations), 11))  \(pad(starts, 13))  \(pad(String(format: "%.12g", result.objective), 18))  "
            + (heldOut.map { String(format: "%.3f", $0) } ?? "-"))
}

private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }

private func asyncSeconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Mean over `runs` of each run's mean relative error |Lhat / L - 1|, in percent.
private func meanRelativeError(_ law: any ScalingLaw, _ values: [Double], _ runs: [Run]) throws -> Double {
    let errors = try runs.map { run -> Double in
        let predicted = try law.makeEvaluator(for: [run]).predict(values)
        let relative = zip(predicted, run.observations).map { abs($0 / $1.loss! - 1) }
        return relative.reduce(0, +) / Double(relative.count)
    }
    return 100 * errors.reduce(0, +) / Double(errors.count)
}

/// The laws and parameters whose evaluation on the multipower-400m fit curves the evaluation
/// benchmarks time: multi-power at its fit to those curves, and fsl at typical values.
let multipowerEvaluationCases: [(String, [Double])] = [
    ("multi-power", [2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457]),
    ("fsl", [2.3, 0.6, 0.5, 500, 10, 5, 1.5]),
]

/// The multipower-400m fit curves and the six held-out ones with their spec schedules, or nil
/// (with a message) when the data are not there.
func multipowerCurves(_ registry: PluginRegistry) throws -> (fit: [Run], test: [Run])? {
    let fitNames = ["cosine_24000", "constant_24000", "wsdcon_9"]
    let testNames = ["cosine_72000", "constant_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
    var fit: [Run] = [], test: [Run] = []
    for name in fitNames + testNames {
        guard let url = try? sharedFile("datasets/multipower-400m/\(name).csv") else {
            emit("skipping the multipower-400m jobs: \(name).csv not found (set LAWFIT_SHARED)")
            return nil
        }
        var run = try TrainingLogReader(required: [.loss, .step, .learningRate]).read(url).runs[0]
        run.name = name
        run.schedule = DenseSchedule(try ScheduleSpec.parse(multipowerSpec(name), registry: registry))
        if fitNames.contains(name) { fit.append(run) } else { test.append(run) }
    }
    return (fit, test)
}

/// The spec of multipower-400m curve `name` (Docs/Schedules.md, "The multipower-400m schedules").
func multipowerSpec(_ name: String) -> String {
    let parts = name.split(separator: "_").map(String.init)
    switch parts[0] {
    case "cosine": return "cosine(peak=3e-4, floor=3e-5, warmup=2160, total=\(parts[1]))"
    case "constant": return "constant(peak=3e-4, warmup=2160, total=\(parts[1]))"
    case "wsd": return "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=geometric)"
    case "wsdld": return "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=linear)"
    default: return "twostage(peak=3e-4, low=\(parts[1])e-5, switch=8000, warmup=2160, total=16000)"
    }
}

/// The val-loss curves of lr-scheduling-124m stable_50000 and cosine10_25000, read from the W&B
/// exports' `_step` and `val/loss` columns (rows with a val loss, step >= 1), with their schedules.
private func lrScheduling124M() throws -> [Run]? {
    var runs: [Run] = []
    for (name, total, cosine) in [("stable_50000", 50_000, false), ("cosine10_25000", 25_000, true)] {
        guard let url = try? sharedFile("datasets/lr-scheduling-124m/\(name).csv") else {
            emit("skipping the lr-scheduling-124m job: \(name).csv not found (set LAWFIT_SHARED)")
            return nil
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        guard let header = lines.first, let stepColumn = header.firstIndex(of: "_step"), let lossColumn = header.firstIndex(of: "val/loss") else {
            throw LawfitError.input("\(name).csv lacks _step or val/loss")
        }
        let observations = lines.dropFirst().compactMap { row -> Observation? in
            guard row.count > max(stepColumn, lossColumn), let step = Int(row[stepColumn]), step >= 1, let loss = Double(row[lossColumn])
            else { return nil }
            return Observation(loss: loss, step: step)
        }
        runs.append(Run(name: name, observations: observations, schedule: DenseSchedule(SlimPajamaSchedule(totalSteps: total, cosine: cosine))))
    }
    return runs
}

/// Schaipp, Hägele et al.'s schedules: warmup 300 steps linear from peak/100 to peak 1e-3, then
/// constant or cosine to 10 % of peak.
private struct SlimPajamaSchedule: LearningRateSchedule {
    var totalSteps: Int
    var cosine: Bool
    var spec: String { "slimpajama-124m(total=\(totalSteps), cosine=\(cosine))" }
    func rate(at step: Int) -> Double {
        let peak = 1e-3, warmup = 300.0, k = Double(step)
        if k < warmup { return peak * (0.01 + 0.99 * k / warmup) }
        guard cosine else { return peak }
        return 0.1 * peak + 0.45 * peak * (1 + cos(Double.pi * (k - warmup) / (Double(totalSteps) - warmup)))
    }
}

/// Writes a line to standard output at once (print's buffer would hold it back in a pipe or file).
private func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Prints each new stage of a model selection with the seconds since the first.
private final class StageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ""
    private let start = ContinuousClock.now

    func note(_ stage: String) {
        lock.lock()
        defer { lock.unlock() }
        guard stage != last else { return }
        last = stage
        let d = ContinuousClock.now - start
        emit("  compare: \(stage) from \(String(format: "%.1f", Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)) s")
    }
}
