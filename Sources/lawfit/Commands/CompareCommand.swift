import ArgumentParser
import Foundation
import LawfitCore

/// `lawfit compare`: fit several laws to the same logs, rank them by held-out error, write a report.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Fit several laws and write a model-selection report.",
        discussion: """
            Fits every requested law (laws whose inputs the data lack are listed as skipped), ranks them \
            by held-out error (log-loss RMSE by default) with AIC, AICc and BIC alongside, and says \
            whether the ranking is significant. See Docs/Evaluation.md.

            Splits: largest-compute:F (default for N, D data), largest-N:F, largest-D:F, \
            last-steps:F (default for loss curves), runs:A,B, kfold:K[:seed=S], leave-one-run-out, none.

            Example:
              lawfit compare --data runs.csv --params N --tokens D \\
                --law chinchilla --law kaplan --split largest-compute:0.2 \\
                --bootstrap 1000 --seed 1 --report out/
            """)

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Schedules") var schedules: ScheduleOptions
    @OptionGroup var plugins: PluginOptions

    @Option(name: .customLong("law"), help: "A law to fit (repeatable), or 'all' for every registered law.")
    var laws: [String] = []

    @Option(help: "Which points to hold out (see above); default by data kind.")
    var split: String?

    @Option(help: "Held-out error to rank by: log-rmse, rmse, mae, mean-relative-error.")
    var metric: String = HeldOutMetric.logRMSE.rawValue

    @Option(help: "Objective: huber:DELTA or squared.")
    var objective: String = "huber:1e-3"

    @Option(help: "Residual space: log or linear.")
    var space: String = LossSpace.log.rawValue

    @Option(help: "Starts per fit: a number of Halton points, or 'grid' for each law's default grid.")
    var starts: String = "grid"

    @Option(help: "Bootstrap resamples (0: none).")
    var bootstrap: Int = 0

    @Option(name: .customLong("bootstrap-unit"), help: "What to resample: runs (default for loss curves), points (default otherwise), blocks or blocks:LENGTH (moving blocks within each run).")
    var bootstrapUnit: String?

    @Option(help: "Seed for every random choice.")
    var seed: UInt64 = 0

    @Option(help: "Parallel workers (results do not depend on it).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Write the report into this folder (report.json, report.md, report.html).")
    var report: String?

    @Option(name: .customLong("format"), help: "Report format (repeatable): json, markdown, html. Default: all with --report, markdown on stdout without.")
    var formats: [String] = []

    @Flag(help: "No progress display on stderr.")
    var quiet = false

    func run() async throws {
        // Every option is checked before any data are read or fitted.
        let formats = try Self.formats(self.formats)
        let splitStrategy = try split.map(SplitStrategy.init(parsing:))
        let fitOptions = FitOptions(
            objective: ObjectiveSpec(loss: try Self.residualLoss(objective), space: try Self.lossSpace(space)),
            starts: try Self.startPlan(starts), seed: seed, workers: max(1, workers))
        let rankingMetric = try Self.metric(metric)
        let requestedUnit = try bootstrapUnit.map(Self.unit)
        let registry = try plugins.makeRegistry()
        let chosen = try resolveLaws(registry)
        let runs = try schedules.readRuns(data, needing: [], registry: registry)
        let display = ProgressDisplay()
        let selection = ModelSelection(
            laws: chosen, split: splitStrategy, fitOptions: fitOptions, metric: rankingMetric,
            bootstrap: bootstrap > 0
                ? BootstrapOptions(
                    resamples: bootstrap, unit: requestedUnit?.unit, seed: seed, workers: max(1, workers), blockLength: requestedUnit?.blockLength) : nil,
            progress: quiet ? nil : display.report)
        let result = try await selection.run(runs)
        display.finish()
        let failure = result.ranked.isEmpty ? Self.everyLawFailed(result) : nil
        // Bad input leaves nothing behind; a report of failed fits is written, for their reasons.
        if let failure, failure.kind == .input { throw failure }
        if let report {
            for path in try ReportWriter.write(result, to: report, formats: formats.isEmpty ? ReportFormat.allCases : formats) {
                FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
            }
            print(result.verdict)
        } else {
            print(try ReportWriter.render(result, format: formats.first ?? .markdown), terminator: "")
        }
        if let failure { throw failure }
    }

    /// The error when no law was ranked: each law's reason; input (exit 2) when every failure is
    /// the input's fault (laws skipped for missing inputs, fits refused for bad data), else fit (exit 1).
    static func everyLawFailed(_ result: SelectionReport) -> LawfitError {
        let reasons = result.laws.map { "\n  \($0.law) (\($0.status.rawValue)): \($0.reason ?? "no reason given")" }.joined()
        let message = "no law could be fitted:\(reasons)"
        return result.laws.allSatisfy({ $0.failure == "input" }) ? LawfitError.input(message) : LawfitError.fit(message)
    }

    /// The --format values.
    static func formats(_ names: [String]) throws -> [ReportFormat] {
        try names.map { name -> ReportFormat in
            guard let format = ReportFormat(rawValue: name.lowercased() == "md" ? "markdown" : name.lowercased()) else {
                throw LawfitError.input("unknown --format '\(name)'; use json, markdown or html")
            }
            return format
        }
    }

    func resolveLaws(_ registry: PluginRegistry) throws -> [any ScalingLaw] {
        guard !laws.isEmpty else { throw LawfitError.input("name at least one law with --law (or --law all); see `lawfit plugins`") }
        if laws.contains("all") { return registry.laws }
        return try laws.map(registry.law(named:))
    }

    static func residualLoss(_ text: String) throws -> ResidualLoss {
        if text == "squared" { return .squared }
        if text.hasPrefix("huber:"), let delta = Double(text.dropFirst(6)), delta > 0 { return .huber(delta: delta) }
        throw LawfitError.input("unknown --objective '\(text)'; use huber:DELTA (e.g. huber:1e-3) or squared")
    }

    static func lossSpace(_ text: String) throws -> LossSpace {
        guard let space = LossSpace(rawValue: text) else { throw LawfitError.input("unknown --space '\(text)'; use log or linear") }
        return space
    }

    static func startPlan(_ text: String) throws -> StartPlan {
        if text == "grid" { return .grid }
        guard let n = Int(text), n >= 1 else { throw LawfitError.input("--starts must be 'grid' or a positive number, got '\(text)'") }
        return .count(n)
    }

    static func metric(_ text: String) throws -> HeldOutMetric {
        guard let metric = HeldOutMetric(rawValue: text) else {
            throw LawfitError.input("unknown --metric '\(text)'; use \(HeldOutMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return metric
    }

    /// `points`, `runs`, `blocks` or `blocks:LENGTH`.
    static func unit(_ text: String) throws -> (unit: BootstrapUnit, blockLength: Int?) {
        if text.hasPrefix("blocks:") {
            guard let length = Int(text.dropFirst(7)), length >= 1, length <= 1_000_000 else {
                throw LawfitError.input("--bootstrap-unit blocks:LENGTH needs a block length from 1 to 1000000 points, got '\(text)'")
            }
            return (.blocks, length)
        }
        guard let unit = BootstrapUnit(rawValue: text) else {
            throw LawfitError.input("unknown --bootstrap-unit '\(text)'; use points, runs, blocks or blocks:LENGTH")
        }
        return (unit, nil)
    }
}

/// Progress on stderr: on a terminal one status line rewritten in place (law, stage, count); in a
/// file or pipe one line per stage and its end, so logs stay readable.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive = isatty(STDERR_FILENO) != 0
    private var last = ""
    private var lastStage = ""

    func report(_ event: SelectionProgress) {
        let line: String
        switch event.stage {
        case .fit: line = "\(event.law): fitting (\(event.detail)), start \(event.done)/\(event.total)"
        case .bootstrap: line = "\(event.law): bootstrap resample \(event.done)/\(event.total)"
        case .skipped: line = "\(event.law): skipped: \(event.detail)"
        case .failed: line = "\(event.law): failed: \(event.detail)"
        }
        let stage = "\(event.law) \(event.stage) \(event.detail)"
        lock.lock()
        defer { lock.unlock() }
        guard line != last else { return }
        last = line
        if interactive {
            let persistent = event.stage == .skipped || event.stage == .failed
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)\(persistent ? "\n" : "")".utf8))
        } else if stage != lastStage || event.done == event.total {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
        lastStage = stage
    }

    /// Clears the status line (terminal only).
    func finish() {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
