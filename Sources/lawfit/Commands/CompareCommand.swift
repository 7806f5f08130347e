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

    @Option(name: .customLong("bootstrap-unit"), help: "Resample points or whole runs.")
    var bootstrapUnit: String = BootstrapUnit.points.rawValue

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
        // The report folder is claimed before the work, so a second run into it fails at once.
        let lock = try report.map(ReportFolderLock.init)
        if let report { try ReportWriter.checkDestination(report, formats: try reportFormats()) }
        let registry = try plugins.makeRegistry()
        let chosen = try resolveLaws(registry)
        let runs = try schedules.readRuns(data, needing: [], registry: registry, scoring: true)
        if let smallest = chosen.min(by: { $0.parameterSpace.count < $1.parameterSpace.count }) {
            try data.requirePoints(runs, atLeast: smallest.parameterSpace.count, for: smallest.name)
        }
        let display = ProgressDisplay()
        var selection = ModelSelection(
            laws: chosen,
            split: try split.map(SplitStrategy.init(parsing:)),
            fitOptions: FitOptions(
                objective: ObjectiveSpec(loss: try Self.residualLoss(objective), space: try Self.lossSpace(space)),
                starts: try Self.startPlan(starts), seed: seed, workers: try OptionChecks.workers(workers)),
            metric: try Self.metric(metric),
            bootstrap: try OptionChecks.resamples(bootstrap) > 0
                ? BootstrapOptions(resamples: bootstrap, unit: try Self.unit(bootstrapUnit), seed: seed, workers: workers) : nil,
            progress: quiet ? nil : display.report)
        selection.scoreFilter = try data.scoreFilter()
        let result = try await selection.run(runs)
        display.finish()
        let formats = try reportFormats()
        if result.ranked.isEmpty {
            let reasons = result.laws.map { "\($0.law): \($0.reason ?? $0.status.rawValue)" }.joined(separator: "; ")
            throw LawfitError.fit("no law could be fitted (\(reasons)); no report was written")
        }
        if let report {
            for path in try ReportWriter.write(result, to: report, formats: formats, lock: lock) {
                FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
            }
            print(result.verdict)
        } else {
            print(try ReportWriter.render(result, format: formats.first ?? .markdown), terminator: "")
        }
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

    static func unit(_ text: String) throws -> BootstrapUnit {
        guard let unit = BootstrapUnit(rawValue: text) else { throw LawfitError.input("unknown --bootstrap-unit '\(text)'; use points or runs") }
        return unit
    }
}
