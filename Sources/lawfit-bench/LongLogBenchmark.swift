import ArgumentParser
import BuiltinPlugins
import Foundation
import LawfitCore

extension LawfitBench {
    /// The 1e6-row log alone.
    struct LongLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "long-log",
            abstract: "Time lawfit fit (lr-annealing, multi-power, fsl), predict and compare on a generated 1e6-row log (the lawfit binary beside this one).")
        func run() async throws {
            try await runLongLogBenchmark()
        }
    }
}

/// The 1e6-row training log of issue 14 (item 4): one run logged at every step under a WSD schedule
/// (`wsd(peak=3e-4, decay_start=900000, total=1000000, floor=3e-5, shape=linear)`, no warmup), its
/// loss an LR-annealing curve (Tissue et al. 2024; L0 2.5, A 1, alpha 0.3, C 2, lambda 0.999) times
/// exp(0.003 z) noise from a fixed seed, written to a temporary CSV (step, lr, loss).
///
/// Every job is the `lawfit` binary of the same build (beside this executable) as a user runs it,
/// with its defaults: reading, checks, the fit, the report's statistics (text format) and the
/// output file. For each it prints wall and CPU seconds and the process's peak resident memory
/// (from `wait4`'s rusage of that process alone), in bytes per row: the goal is <= 5 s and <= 150
/// bytes per row for lr-annealing and multi-power. Fits also print evaluations and objective.
///
/// `LAWFIT_BENCH_LONG_LOG_ROWS` sets another row count (the decay stays the last 10 %);
/// `LAWFIT_BENCH_LONG_LOG_JOBS` a comma-separated subset of the jobs (fit-lr-annealing,
/// fit-multi-power, fit-fsl, predict, compare); `LAWFIT_BENCH_LONG_LOG_FILE` a path where the log is
/// written and kept (for `/usr/bin/time` or `perf` runs of the same file; an existing file is replaced).
func runLongLogBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let rows = environment["LAWFIT_BENCH_LONG_LOG_ROWS"].flatMap(Int.init) ?? 1_000_000
    let spec = "wsd(peak=3e-4, decay_start=\(rows - rows / 10), total=\(rows), floor=3e-5, shape=linear)"
    guard let lawfit = lawfitBinary() else {
        say("long log: no lawfit binary beside this one; build it first: swift build -c release --product lawfit")
        return
    }
    let registry = try BuiltinPlugins.makeRegistry()
    let schedule = try ScheduleSpec.parse(spec, registry: registry)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-bench-long-log-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = environment["LAWFIT_BENCH_LONG_LOG_FILE"] ?? folder.appendingPathComponent("long.csv").path
    try writeLongLog(schedule, rows: rows, to: URL(fileURLWithPath: file))
    let output = folder.appendingPathComponent("out").path
    let data = ["--data", file, "--schedule", spec]
    let truth = ["L0=2.5", "A=1", "alpha=0.3", "C=2", "lambda=0.999"].flatMap { ["--set", $0] }
    let jobs: [(name: String, arguments: [String])] = [
        ("fit-lr-annealing", ["fit", "--law", "lr-annealing"] + data + ["--quiet", "--output", output]),
        ("fit-multi-power", ["fit", "--law", "multi-power"] + data + ["--quiet", "--output", output]),
        ("fit-fsl", ["fit", "--law", "fsl"] + data + ["--quiet", "--output", output]),
        ("predict", ["predict", "--law", "lr-annealing"] + truth + data + ["--output", output]),
        ("compare", ["compare", "--law", "lr-annealing", "--law", "multi-power"] + data + ["--quiet", "--format", "json", "--report", output + "-report"]),
    ]
    let chosen = environment["LAWFIT_BENCH_LONG_LOG_JOBS"].map { Set($0.split(separator: ",").map(String.init)) }
    say("long log: \(rows) rows, \(spec); each job is \(lawfit) with its defaults (2 workers on this machine: \(ProcessInfo.processInfo.activeProcessorCount) cores)")
    say("job                 wall s   CPU s  evaluations  objective             peak RSS MB  bytes/row")
    for job in jobs where chosen?.contains(job.name) ?? true {
        try? FileManager.default.removeItem(atPath: output)
        let run = try runChild(lawfit, job.arguments)
        var evaluations = "-", objective = "-"
        if run.status == 0, job.name.hasPrefix("fit"), let text = try? String(contentsOfFile: output, encoding: .utf8) {
            evaluations = reportField("evaluations", in: text) ?? "?"
            objective = reportField("best objective", in: text) ?? "?"
        }
        let status = run.status == 0 ? "" : "  (exit \(run.status): \(run.standardError.split(separator: "\n").last ?? ""))"
        say(
            "\(job.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%7.2f %7.2f", run.wall, run.cpu))  "
                + "\(evaluations.padding(toLength: 11, withPad: " ", startingAt: 0))  \(objective.padding(toLength: 20, withPad: " ", startingAt: 0))  "
                + "\(String(run.peakBytes / 1_000_000).padding(toLength: 11, withPad: " ", startingAt: 0))  \(run.peakBytes / rows)\(status)")
    }
}

/// Writes the log: `step,lr,loss` for steps 1...rows.
private func writeLongLog(_ schedule: any LearningRateSchedule, rows: Int, to url: URL) throws {
    let (l0, a, alpha, c, lambda) = (2.5, 1.0, 0.3, 2.0, 0.999)
    var text = "step,lr,loss\n"
    text.reserveCapacity(rows * 32)
    var previous = schedule.rate(at: 0), tau = 0.0, momentum = 0.0, area = 0.0
    var random = SplitMix64(seed: 14)
    for step in 1...rows {
        let rate = schedule.rate(at: step)
        tau += rate
        momentum = lambda * momentum + (previous - rate)
        area += momentum
        previous = rate
        let loss = (l0 + a * pow(tau, -alpha) - c * area) * exp(0.003 * gaussian(&random))
        text += "\(step),\(rate),\(loss)\n"
    }
    try text.write(to: url, atomically: false, encoding: .utf8)
}

/// A standard normal by Box-Muller from SplitMix64: a fixed, portable noise sequence.
private func gaussian(_ random: inout SplitMix64) -> Double {
    let u1 = random.nextOpenUnit()
    return BoxMuller.normal(u1, random.nextOpenUnit())
}

/// Writes a line to standard output at once.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
