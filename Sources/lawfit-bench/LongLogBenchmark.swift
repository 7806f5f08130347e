import BuiltinPlugins
import Foundation
import LawfitCore

/// The 1e6-row training log of issue 14 (item 4): one run logged at every step under a WSD schedule
/// (`wsd(peak=3e-4, decay_start=900000, total=1000000, floor=3e-5, shape=linear)`, no warmup), its
/// loss an LR-annealing curve (Tissue et al. 2024; L0 2.5, A 1, alpha 0.3, C 2, lambda 0.999) times
/// exp(0.003 z) noise from a fixed seed. Written to a temporary CSV (step, lr, loss) and fitted as
/// `lawfit fit --law NAME --data long.csv --schedule SPEC` does with its defaults: the same reader,
/// the schedule checked and attached, `FitOptions` with one worker per core. Prints wall and CPU
/// seconds, evaluations, objective and the process's peak resident memory (VmHWM) after each fit,
/// in bytes per row: the goal is <= 5 s and <= 150 bytes per row.
///
/// `LAWFIT_BENCH_LONG_LOG_ROWS` sets another row count (the decay stays the last 10 %).
func runLongLogBenchmark() async throws {
    let rows = ProcessInfo.processInfo.environment["LAWFIT_BENCH_LONG_LOG_ROWS"].flatMap(Int.init) ?? 1_000_000
    let spec = "wsd(peak=3e-4, decay_start=\(rows - rows / 10), total=\(rows), floor=3e-5, shape=linear)"
    let registry = try BuiltinPlugins.makeRegistry()
    let schedule = try ScheduleSpec.parse(spec, registry: registry)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-bench-long-log-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("long.csv")
    try writeLongLog(schedule, rows: rows, to: file)
    say("long log: \(rows) rows, \(spec), peak RSS before fitting \(peakResidentBytes() / 1_000_000) MB")
    say("job                          wall s   CPU s  evaluations  objective           peak RSS MB  bytes/row")
    for name in ["lr-annealing", "multi-power"] {
        let law = try registry.law(named: name)
        let cpu = processorSeconds()
        var result: FitResult?
        let wall = try await asyncWallSeconds {
            // As `lawfit fit`: the fields the law needs (the loss may be blank), the schedule checked.
            let reader = TrainingLogReader(required: LogField.required(for: law.requiredInputs.subtracting([.schedule])), sparse: [.loss])
            var runs = try reader.read(URL(fileURLWithPath: file.path)).runs
            for index in runs.indices { runs[index].schedule = try DenseSchedule(schedule).requireFiniteRates() }
            try law.validate(runs)
            result = try await LawFitter(law: law, options: FitOptions()).fit(runs)
        }
        let peak = peakResidentBytes()
        say(
            "\(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%7.2f %7.2f", wall, processorSeconds() - cpu))  "
                + "\(String(result!.evaluations).padding(toLength: 11, withPad: " ", startingAt: 0))  "
                + "\(String(format: "%.12g", result!.objective).padding(toLength: 18, withPad: " ", startingAt: 0))  "
                + "\(String(peak / 1_000_000).padding(toLength: 11, withPad: " ", startingAt: 0))  \(peak / rows)")
    }
    say("(peak RSS is the process's so far: each row includes the jobs above it)")
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

/// A standard normal by Box-Muller from LawfitCore's SplitMix64: a fixed, portable noise sequence.
private func gaussian(_ random: inout SplitMix64) -> Double {
    func uniform() -> Double { (Double(random.next() >> 11) + 0.5) * 0x1p-53 }
    return (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
}

/// Writes a line to standard output at once.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The process's peak resident set size in bytes (VmHWM of /proc/self/status), or 0 where unknown.
func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
    else { return 0 }
    return kilobytes * 1024
}

private func asyncWallSeconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
