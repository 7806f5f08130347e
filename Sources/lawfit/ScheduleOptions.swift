import ArgumentParser
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
        help: ArgumentHelp("Tabulate each run's schedule from a logged column: lr.", valueName: "column"))
    var scheduleFrom: String?

    /// Reads every `--data` file with the fields the given law inputs need (and the loss when
    /// `requireLoss`), and attaches the schedules asked for.
    ///
    /// - Throws: ``LawfitError`` (input) for a schedule count that does not match the files, both
    ///   flags at once, neither flag for a law that needs a schedule, an unknown column, a bad spec,
    ///   or as the readers do.
    func readRuns(_ data: DataOptions, needing inputs: Set<LawInput>, registry: PluginRegistry, requireLoss: Bool = true) throws -> [Run] {
        var required = LogField.required(for: inputs.subtracting([.schedule]))
        if requireLoss { required.insert(.loss) }
        if let scheduleFrom {
            guard scheduleFrom == "lr" else { throw LawfitError.input("--schedule-from takes lr (the logged learning rate), got '\(scheduleFrom)'") }
            guard schedules.isEmpty else { throw LawfitError.input("give either --schedule or --schedule-from, not both") }
            required.formUnion([.step, .learningRate])
        }
        if !schedules.isEmpty, schedules.count != data.files.count {
            throw LawfitError.input("give one --schedule per --data file: \(schedules.count) schedules for \(data.files.count) files")
        }
        let logs = try data.readEach(required: required)
        if inputs.contains(.schedule), schedules.isEmpty, scheduleFrom == nil, let run = logs.first?.runs.first {
            let logsRate = run.observations.contains { $0.learningRate != nil }
            throw LawfitError.input(
                "the law needs each run's learning-rate schedule: give --schedule SPEC (one per --data file)"
                    + (logsRate ? " or --schedule-from lr (the file logs lr)" : ""),
                at: run.source.map { SourceLocation(file: $0) })
        }
        let scheduled = try logs.enumerated().map { k, log in
            let schedule = try schedules.isEmpty ? nil : DenseSchedule(ScheduleSpec.parse(schedules[k], registry: registry)).requireFiniteRates()
            return TrainingLog(runs: try log.runs.map { run in
                var run = run
                if let schedule { run.schedule = schedule }
                if scheduleFrom != nil { run.schedule = DenseSchedule(try TabulatedSchedule(run: run)) }
                return run
            })
        }
        return try TrainingLog(merging: scheduled).runs
    }
}
