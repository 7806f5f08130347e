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
        let formats = try reportFormats()
        let splitStrategy = try split.map(SplitStrategy.init(parsing:))
        let fitOptions = FitOptions(
            objective: ObjectiveSpec(loss: try Self.residualLoss(objective), space: try Self.lossSpace(space)),
            starts: try Self.startPlan(starts), seed: seed, workers: try OptionChecks.workers(workers))
        let rankingMetric = try Self.metric(metric)
        let requestedUnit = try bootstrapUnit.map(Self.unit)
        let resamples = try OptionChecks.resamples(bootstrap)
        let scoreFilter = try data.scoreFilter()
        // The report folder is claimed before the work, so a second run into it fails at once.
        let lock = try report.map(ReportFolderLock.init)
        if let report { try ReportWriter.checkDestination(report, formats: formats) }
        let registry = try plugins.makeRegistry()
        let chosen = try resolveLaws(registry)
        let runs = try schedules.readRuns(data, needing: [], registry: registry, scoring: true)
        if let smallest = chosen.min(by: { $0.parameterSpace.count < $1.parameterSpace.count }) {
            try data.requirePoints(runs, atLeast: smallest.parameterSpace.count, for: smallest.name)
        }
        let display = ProgressDisplay()
        var selection = ModelSelection(
            laws: chosen, split: splitStrategy, fitOptions: fitOptions, metric: rankingMetric,
            bootstrap: resamples > 0
                ? BootstrapOptions(
                    resamples: resamples, unit: requestedUnit?.unit, seed: seed, workers: fitOptions.workers, blockLength: requestedUnit?.blockLength) : nil,
            progress: quiet ? nil : display.report)
        selection.scoreFilter = scoreFilter
        let result = try await selection.run(runs)
        display.finish()
        // When every law fails no report is written; the error names each law's failure.
        if result.ranked.isEmpty { throw Self.everyLawFailed(result) }
        if let report {
            for path in try ReportWriter.write(result, to: report, formats: formats, lock: lock) {
                FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
            }
            print(result.verdict)
        } else {
            print(try ReportWriter.render(result, format: formats.first ?? .markdown), terminator: "")
        }
    }

    /// The error when no law was ranked: each law's reason; input (exit 2) when every failure is
    /// the input's fault (laws skipped for missing inputs, fits refused for bad data), else fit (exit 1).
    static func everyLawFailed(_ result: SelectionReport) -> LawfitError {
        let reasons = result.laws.map { "\n  \($0.law) (\($0.status.rawValue)): \($0.reason ?? "no reason given")" }.joined()
        let message = "no law could be fitted; no report was written:\(reasons)"
        return result.laws.allSatisfy({ $0.failure == "input" }) ? LawfitError.input(message) : LawfitError.fit(message)
    }

    /// The --format values, all formats when none is given with --report.
    func reportFormats() throws -> [ReportFormat] {
        let formats = try self.formats.map { name -> ReportFormat in
            guard let format = ReportFormat(rawValue: name.lowercased() == "md" ? "markdown" : name.lowercased()) else {
                throw LawfitError.input("unknown --format '\(LawfitError.excerpt(name))'; use json, markdown or html")
            }
            return format
        }
        return formats.isEmpty && report != nil ? ReportFormat.allCases : formats
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
        try OptionChecks.starts(text)
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
