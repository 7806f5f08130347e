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

    @Option(help: "Which points to hold out (see above); default by data kind.", transform: SplitStrategy.init(parsing:))
    var split: SplitStrategy?

    @Option(help: "Held-out error to rank by.")
    var metric: HeldOutMetric = .logRMSE

    @OptionGroup(title: "Objective") var objectiveOptions: ObjectiveOptions
    @OptionGroup(title: "Starts") var start: StartOptions

    @Option(help: "Bootstrap resamples (0: none).")
    var bootstrap: Int = 0

    @Option(
        name: .customLong("bootstrap-unit"),
        help: ArgumentHelp(
            "What to resample: runs (default for loss curves), points (default otherwise), blocks or blocks:LENGTH (moving blocks within each run).",
            valueName: "points|runs|blocks|blocks:LENGTH"))
    var bootstrapUnit: BootstrapUnitChoice?

    @Option(help: "Write the report into this folder (report.json, report.md, report.html).")
    var report: String?

    @Option(name: .customLong("format"), help: "Report format (repeatable). Default: all with --report, markdown on stdout without.")
    var formats: [ReportFormat] = []

    @Flag(help: "No progress display on stderr.")
    var quiet = false

    func validate() throws {
        try OptionChecks.resamples(bootstrap)
        try bootstrapUnit?.validate()
    }

    func run() async throws {
        // Every option was checked while parsing (`validate()`), before any data are read or fitted.
        let formats = reportFormats
        let fitOptions = FitOptions(objective: objectiveOptions.spec(), starts: start.starts, seed: start.seed, workers: start.workers)
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
            laws: chosen, split: split, fitOptions: fitOptions, metric: metric,
            bootstrap: bootstrap > 0
                ? BootstrapOptions(
                    resamples: bootstrap, unit: bootstrapUnit?.unit, seed: start.seed, workers: fitOptions.workers,
                    blockLength: bootstrapUnit?.blockLength) : nil,
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
    var reportFormats: [ReportFormat] {
        formats.isEmpty && report != nil ? ReportFormat.allCases : formats
    }

    func resolveLaws(_ registry: PluginRegistry) throws -> [any ScalingLaw] {
        guard !laws.isEmpty else { throw LawfitError.input("name at least one law with --law (or --law all); see `lawfit plugins`") }
        if laws.contains("all") { return registry.laws }
        return try laws.map(registry.law(named:))
    }
}
