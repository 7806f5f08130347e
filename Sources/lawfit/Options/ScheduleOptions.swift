import ArgumentParser
import Foundation
import LawfitCore

/// `--schedule SPEC` (one per `--data` file) or `--schedule-from lr`: how loss-curve laws learn each
/// run's learning-rate schedule. Shared by every command that reads training logs.
struct ScheduleOptions: ParsableArguments {
    @Option(
        name: .customLong("schedule"),
        help: ArgumentHelp("The learning-rate schedule of the runs of each --data file, in the same order; repeatable.", valueName: "spec"))
    var schedules: [String] = []
    @Option(
        name: .customLong("schedule-from"),
        help: ArgumentHelp("Tabulate each run's schedule from a logged column: lr (refused when the log cannot carry it; see Docs/Schedules.md).", valueName: "column"))
    var scheduleFrom: ScheduleSource?

    /// One source of schedules: specs or the log.
    func validate() throws {
        if scheduleFrom != nil, !schedules.isEmpty { throw ValidationError("give either --schedule or --schedule-from, not both") }
    }

    /// Reads every `--data` file with the fields the given law inputs need (and the loss when
    /// `requireLoss`), attaches the schedules asked for (joined to parents with `--fork`), smooths
    /// the loss (`--smooth`), drops points without a loss (their lr still counts for the schedule)
    /// and applies `--fit-where`. Notes go to stderr.
    ///
    /// - Throws: ``LawfitError`` (input) for a schedule count that does not match the files,
    ///   neither flag for a law that needs a schedule, an unknown column, a bad spec,
    ///   a bad fork, a logged lr that cannot carry the schedule, or as the readers do.
    ///
    /// - Parameter scoring: whether the command scores held-out points (compare), the only one
    ///   `--score-where` applies to.
    func readRuns(
        _ data: DataOptions, needing inputs: Set<LawInput>, registry: PluginRegistry, requireLoss: Bool = true, scoring: Bool = false
    ) throws -> [Run] {
        let required = LogField.required(for: inputs.subtracting([.schedule]))
            .union(scheduleFrom == nil ? [] : [.step])
        var sparse: Set<LogField> = requireLoss ? [.loss] : []
        if scheduleFrom == .lr { sparse.insert(.learningRate) }
        if !schedules.isEmpty, schedules.count != data.files.count {
            throw LawfitError.input("give one --schedule per --data file: \(schedules.count) schedules for \(data.files.count) files")
        }
        let forks = try data.branches()
        let smoothing = try data.smoothing.map { try LossSmoothing(weight: $0) }
        let fitFilter = try data.fitFilter()
        guard data.scoreConditions.isEmpty || scoring else {
            throw LawfitError.input("--score-where selects the held-out points that compare scores; this command scores none")
        }
        let specs = try schedules.map { try ScheduleSpec.parse($0, registry: registry) }

        let logs = try data.readEach(required: required, sparse: sparse)
        if inputs.contains(.schedule), schedules.isEmpty, scheduleFrom == nil, let run = logs.first?.runs.first {
            let logsRate = run.observations.contains { $0.learningRate != nil }
            throw LawfitError.input(
                "the law needs each run's learning-rate schedule: give --schedule SPEC (one per --data file)"
                    + (logsRate ? " or --schedule-from lr (the file logs lr)" : ""),
                at: run.source.map { SourceLocation(file: $0) })
        }
        var runs = try TrainingLog(merging: logs).runs
        let fileOfRun = Dictionary(uniqueKeysWithValues: logs.enumerated().flatMap { k, log in log.runs.map { ($0.name, k) } })
        let joiner = RunScheduleJoiner(
            runs: runs, specs: specs.isEmpty ? nil : runs.map { specs[fileOfRun[$0.name]!] }, fromLog: scheduleFrom != nil,
            forks: forks, registry: registry)
        let attached = try joiner.schedules()
        for index in runs.indices {
            if let schedule = attached[index] { runs[index].schedule = try DenseSchedule(schedule).requireFiniteRates() }
            if let smoothing { runs[index] = smoothing.smooth(runs[index]) }
        }
        if requireLoss { runs = try Self.droppingPointsWithoutLoss(runs, column: data.mapping.loss ?? "loss") }
        if inputs.contains(.schedule) || !specs.isEmpty || scheduleFrom != nil { runs = Self.droppingInitialPoints(runs) }
        if let fitFilter {
            runs = fitFilter.apply(to: runs)
            for run in runs where run.observations.isEmpty {
                Self.note("run '\(run.name)': no point passes --fit-where \(fitFilter); the run is not fitted")
            }
            runs.removeAll { $0.observations.isEmpty }
            guard !runs.isEmpty else { throw LawfitError.input("no point passes --fit-where \(fitFilter)") }
        }
        return runs
    }

    /// The runs without their points that have no loss (rows that log other keys, such as the train
    /// rows of a W&B history fitted on `val/loss`), with a note per run.
    static func droppingPointsWithoutLoss(_ runs: [Run], column: String) throws -> [Run] {
        try runs.map { run in
            let missing = run.observations.lazy.filter { $0.loss == nil }.count
            guard missing > 0 else { return run }
            guard missing < run.observations.count else {
                throw LawfitError.input(
                    "run '\(run.name)' has no row with a value in the loss column '\(column)'; choose the column with --loss",
                    at: run.source.map { SourceLocation(file: $0, column: column) })
            }
            note("\(run.source ?? run.name): run '\(run.name)': \(missing) of \(run.observations.count) steps have no '\(column)' and are not fitted (their lr still counts for the schedule)")
            var run = run
            run.observations.removeAll { $0.loss == nil }
            return run
        }
    }

    /// The runs without their points at step 0 (the loss before any update, which W&B logs as the
    /// first validation), with a note: loss-curve laws start at step 1.
    static func droppingInitialPoints(_ runs: [Run]) -> [Run] {
        runs.map { run in
            guard run.observations.contains(where: { $0.step == 0 }), run.observations.contains(where: { ($0.step ?? 0) > 0 }) else { return run }
            note("\(run.source ?? run.name): run '\(run.name)': the point at step 0 (the loss before any update) is not fitted; loss-curve laws start at step 1")
            var run = run
            run.observations.removeAll { $0.step == 0 }
            return run
        }
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}
