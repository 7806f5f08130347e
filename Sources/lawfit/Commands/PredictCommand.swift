import ArgumentParser
import Foundation
import LawfitCore

/// `lawfit predict`: losses a law predicts from given parameters, at logged points, along a
/// schedule, or on a grid of inputs.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict losses from fitted (or given) parameters.",
        discussion: """
            Parameters come from a fit's JSON or a compare report.json (--params-file; the fit of --law)
            and/or --set NAME=VALUE (which wins).
            Points come from --data files (every row, loss optional), or from --schedule with --every
            (a loss curve for loss-curve laws), or from --at / --grid (N, D, C, U, step). Writes CSV with
            the inputs, the observed loss where known, and the predicted loss.

            Grid values: VALUE, V1,V2,..., FROM:TO:K (K evenly spaced) or FROM:TO:logK (K log-spaced).

            Examples:
              lawfit predict --law chinchilla --params-file fit.json --at N=7e10,D=1.4e12
              lawfit predict --law chinchilla --params-file fit.json --grid N=1e8:1e11:log7 --grid D=2e11
              lawfit predict --law multi-power --params-file mpl.json \\
                  --schedule 'wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=geometric)' --every 100
              lawfit predict --law dmft-surrogate --set a=2.5 --set b=1.5 --set s=1 --set E=0 --set tau=1 --set nu=1 \\
                  --grid N=400 --grid D=1:1e4:log20
            """)

    @Option(help: "The law (see `lawfit plugins`).") var law: String
    @Option(name: .customLong("params-file"), help: "A fit's JSON output, or a compare report.json (the fit of --law).") var paramsFile: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("A parameter value NAME=VALUE; repeatable.", valueName: "name=value"))
    var assignments: [String] = []
    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Schedules") var schedules: ScheduleOptions
    @Option(help: ArgumentHelp("A point such as N=1e9,D=2e10; repeatable.", valueName: "point")) var at: [String] = []
    @Option(help: ArgumentHelp("A grid axis such as N=1e8:1e11:log7; repeatable (cartesian product).", valueName: "axis"))
    var grid: [String] = []
    @Option(help: "With --schedule and no --data: predict every k-th step (and the last).") var every = 1
    @Option(help: "Write the CSV to this file instead of standard output: streamed in 1 MiB blocks to a temporary file beside it, renamed into place only when every prediction is finite.") var output: String?
    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        try OptionChecks.atLeast(every, 1, "--every")
    }

    func run() async throws {
        if let output { try AtomicFile.checkDestination(output, inputs: data.files + (paramsFile.map { [$0] } ?? [])) }
        let registry = try plugins.makeRegistry()
        let law = try registry.law(named: law)
        let values = try law.parameterSpace.values(from: try parameterMap(law))
        let runs = try points(for: law, registry: registry)
        try law.validate(runs)
        let predictions = try law.makeEvaluator(for: runs).predict(values)
        try Self.requireLosses(predictions, runs: runs, law: law.name)
        // Every prediction is checked before the first byte is written, so a failing predict
        // prints nothing; the CSV is then streamed in blocks (to --output's temporary, renamed into place).
        try StreamedOutput.write(to: output) { try PredictionTable.write(runs: runs, predictions: predictions, to: $0) }
    }

    /// The prediction at which laws that follow training (fsl-theory, fsl-theorem, dmft-sgd) saturate
    /// a run that diverged: a signal for the fitter, never a loss to print.
    static let divergedLoss = 1e100

    /// Refuses to print a prediction that is not a loss: NaN (the law cannot be evaluated there),
    /// infinite (the law overflows at these parameters and inputs), not positive (the parameters put the law outside the range where it
    /// describes a loss, e.g. an annealing term larger than the loss itself), or at least
    /// ``divergedLoss`` (the law's training run diverged before that point).
    ///
    /// - Throws: ``LawfitError`` (fit) naming the first such point: its file and line when it comes
    ///   from a --data file, else its position among the points, with its inputs.
    static func requireLosses(_ predictions: [Double], runs: [Run], law: String) throws {
        guard let bad = predictions.firstIndex(where: { !($0.isFinite && $0 > 0 && $0 < divergedLoss) }) else { return }
        let (source, point) = runs.flatMap { run in run.observations.map { (run.source, $0) } }[bad]
        let inputs = [("step", point.step.map(Double.init)), ("N", point.parameters), ("D", point.tokens), ("C", point.compute), ("U", point.uniqueTokens)]
            .compactMap { name, value in value.map { "\(name)=\(SpecValue.format($0))" } }.joined(separator: ", ")
        let place = source.flatMap { file in point.line.map { "\(file):\($0)" } } ?? "point \(bad + 1)"
        let value = predictions[bad]
        let why: String
        if value.isNaN {
            why = "is not a number at \(place) (\(inputs)): the law cannot be evaluated at these parameters and inputs (outside the range where its formula or solver holds)"
        } else if !value.isFinite {
            why = "is not finite at \(place) (\(inputs)): \(value); the parameters and inputs overflow the law"
        } else if value >= divergedLoss {
            why = "signals divergence at \(place) (\(inputs)): \(value); training at these parameters and rates diverges by this point"
        } else {
            why = "is not positive at \(place) (\(inputs)): \(value); a loss is positive, so these parameters put the law outside its range"
        }
        throw LawfitError.fit("the prediction of law '\(law)' \(why)")
    }

    /// --params-file values, overridden by --set.
    private func parameterMap(_ law: any ScalingLaw) throws -> [String: Double] {
        var map: [String: Double] = [:]
        if let paramsFile {
            map = try FitResultFile.read(paramsFile, law: law.name).parameters
        }
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                throw LawfitError.input("--set takes NAME=VALUE with a finite number, got '\(assignment)'")
            }
            map[parts[0]] = value
        }
        return map
    }

    /// The runs to predict at, from exactly one source of points.
    private func points(for law: any ScalingLaw, registry: PluginRegistry) throws -> [Run] {
        let hasPoints = !(at.isEmpty && grid.isEmpty)
        if !data.files.isEmpty {
            guard !hasPoints else { throw LawfitError.input("give the points one way: --data files or --at/--grid, not both") }
            return try schedules.readRuns(data, needing: law.requiredInputs, registry: registry, requireLoss: false)
        }
        guard schedules.schedules.count <= 1, schedules.scheduleFrom == nil else {
            throw LawfitError.input("without --data, give at most one --schedule (and no --schedule-from)")
        }
        let schedule = try schedules.schedules.first.map { try DenseSchedule(try ScheduleSpec.parse($0, registry: registry)).requireFiniteRates() }
        if !hasPoints {
            guard let schedule else { throw LawfitError.input("give the points: --data files, --at/--grid points, or a --schedule curve") }
            guard schedule.totalSteps / every <= PointSpec.maximumPoints else {
                throw LawfitError.input(
                    "--every \(every) on \(schedule.totalSteps) steps makes more than the \(PointSpec.maximumPoints) points predict may compute; give a larger --every")
            }
            var steps = Array(stride(from: every, through: schedule.totalSteps, by: every))
            if steps.last != schedule.totalSteps { steps.append(schedule.totalSteps) }
            return [Run(name: "schedule", observations: steps.map { Observation(step: $0) }, schedule: schedule)]
        }
        let observations = try at.map(PointSpec.observation) + PointSpec.grid(grid)
        return [Run(name: "points", observations: observations, schedule: schedule)]
    }
}
