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
    var scheduleFrom: String?

    /// The largest bound on the intrinsic-time error of a schedule read from a log's lr column
    /// (``TabulatedSchedule/loggedCoverage``) that `--schedule-from lr` accepts.
    static let coverageLimit = 0.01

    /// Reads every `--data` file with the fields the given law inputs need (and the loss when
    /// `requireLoss`), attaches the schedules asked for (joined to parents with `--fork`), smooths
    /// the loss (`--smooth`), drops points without a loss (their lr still counts for the schedule)
    /// and applies `--fit-where`. Notes go to stderr.
    ///
    /// - Throws: ``LawfitError`` (input) for a schedule count that does not match the files, both
    ///   flags at once, neither flag for a law that needs a schedule, an unknown column, a bad spec,
    ///   a bad fork, a logged lr that cannot carry the schedule, or as the readers do.
    func readRuns(_ data: DataOptions, needing inputs: Set<LawInput>, registry: PluginRegistry, requireLoss: Bool = true) throws -> [Run] {
        let required = LogField.required(for: inputs.subtracting([.schedule]))
            .union(scheduleFrom == nil ? [] : [.step])
        var sparse: Set<LogField> = requireLoss ? [.loss] : []
        if let scheduleFrom {
            guard scheduleFrom == "lr" else { throw LawfitError.input("--schedule-from takes lr (the logged learning rate), got '\(scheduleFrom)'") }
            guard schedules.isEmpty else { throw LawfitError.input("give either --schedule or --schedule-from, not both") }
            sparse.insert(.learningRate)
        }
        if !schedules.isEmpty, schedules.count != data.files.count {
            throw LawfitError.input("give one --schedule per --data file: \(schedules.count) schedules for \(data.files.count) files")
        }
        let forks = try data.branches()
        let smoothing = try data.smoothingWeight().map { try LossSmoothing(weight: $0) }
        let fitFilter = try data.fitFilter()
        _ = try data.scoreFilter()  // validated before reading; compare and evaluation code apply it
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
        let joiner = ScheduleJoiner(
            runs: runs, specs: specs.isEmpty ? nil : runs.map { specs[fileOfRun[$0.name]!] }, fromLog: scheduleFrom != nil,
            forks: forks, registry: registry)
        let attached = try joiner.schedules()
        for index in runs.indices {
            if let schedule = attached[index] { runs[index].schedule = DenseSchedule(schedule) }
            if let smoothing { runs[index] = smoothing.smooth(runs[index]) }
        }
        if requireLoss { runs = try Self.droppingPointsWithoutLoss(runs, column: data.mapping.loss ?? "loss") }
        if inputs.contains(.schedule) { runs = Self.droppingInitialPoints(runs) }
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

/// Each run's schedule: its file's spec or its logged lr, joined to its parent's up to the fork
/// step for the runs named by `--fork`, and checked for coverage when read from the log.
struct ScheduleJoiner {
    let runs: [Run]
    /// The spec of each run's file, when schedules are given as specs.
    let specs: [any LearningRateSchedule]?
    /// Whether schedules are read from the logged lr.
    let fromLog: Bool
    let forks: [RunFork]
    let registry: PluginRegistry

    /// One schedule per run (`nil` when no schedule was asked for).
    func schedules() throws -> [(any LearningRateSchedule)?] {
        var forkOf: [String: RunFork] = [:]
        let index = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.name, $0) })
        for fork in forks {
            guard let child = index[fork.run] else { throw unknownRun(fork.run, in: fork) }
            if case .run(let parent) = fork.parent, index[parent] == nil { throw unknownRun(parent, in: fork) }
            guard forkOf.updateValue(fork, forKey: fork.run) == nil else {
                throw LawfitError.input("run '\(fork.run)' is given two --fork parents")
            }
            if let early = runs[child].observations.first(where: { ($0.step ?? fork.step) < fork.step }) {
                throw LawfitError.input(
                    "run '\(fork.run)' has a point at step \(early.step!), before its fork step \(fork.step) (--fork \(fork))",
                    at: runs[child].source.map { SourceLocation(file: $0, line: early.line) })
            }
        }
        guard specs != nil || fromLog else {
            if let fork = forks.first { throw LawfitError.input("--fork \(fork) needs schedules: give --schedule or --schedule-from lr") }
            return runs.map { _ in nil }
        }
        var resolved: [String: any LearningRateSchedule] = [:]
        var result: [(any LearningRateSchedule)?] = []
        for run in runs {
            result.append(try schedule(of: run.name, index: index, forkOf: forkOf, resolved: &resolved, visiting: []))
        }
        return result
    }

    private func schedule(
        of name: String, index: [String: Int], forkOf: [String: RunFork], resolved: inout [String: any LearningRateSchedule], visiting: Set<String>
    ) throws -> any LearningRateSchedule {
        if let known = resolved[name] { return known }
        guard !visiting.contains(name) else { throw LawfitError.input("--fork parents form a cycle through run '\(name)'") }
        let run = runs[index[name]!]
        let schedule: any LearningRateSchedule
        if let fork = forkOf[name] {
            let parent: any LearningRateSchedule = switch fork.parent {
            case .run(let parentName): try self.schedule(of: parentName, index: index, forkOf: forkOf, resolved: &resolved, visiting: visiting.union([name]))
            case .spec(let spec): try ScheduleSpec.parse(spec, registry: registry)
            }
            guard fork.step <= parent.totalSteps else {
                throw LawfitError.input("--fork \(fork): the parent's schedule ends at step \(parent.totalSteps), before the fork step")
            }
            if fromLog {
                let own = Self.loggedRates(run).filter { $0.step > fork.step }
                guard !own.isEmpty else { throw noRates(run, after: fork.step) }
                let table = try TabulatedSchedule(points: [(fork.step, parent.rate(at: fork.step))] + own)
                try check(table, run: run, startKnown: true)
                schedule = try ForkedSchedule(forkStep: fork.step, parent: parent, schedule: table)
            } else {
                schedule = try ForkedSchedule(forkStep: fork.step, parent: parent, schedule: specs![index[name]!])
            }
        } else if fromLog {
            let points = Self.loggedRates(run)
            guard !points.isEmpty else { throw noRates(run, after: nil) }
            let table = try TabulatedSchedule(points: points)
            try check(table, run: run, startKnown: false)
            schedule = table
        } else {
            schedule = specs![index[name]!]
        }
        resolved[name] = schedule
        return schedule
    }

    static func loggedRates(_ run: Run) -> [(step: Int, rate: Double)] {
        run.observations.compactMap { o in o.step.flatMap { s in o.learningRate.map { (step: s, rate: $0) } } }
    }

    /// Refuses a table whose intrinsic time could be off by more than the limit.
    private func check(_ table: TabulatedSchedule, run: Run, startKnown: Bool) throws {
        let coverage = table.loggedCoverage
        let leading = startKnown ? 0 : coverage.leading
        guard leading + coverage.gaps > ScheduleOptions.coverageLimit else { return }
        let first = table.points[0]
        var reasons: [String] = []
        if leading > ScheduleOptions.coverageLimit / 2 {
            reasons.append("the logged lr starts at step \(first.step), so the rates of steps 0-\(first.step - 1) are unknown (they would be carried back from step \(first.step))")
        }
        if coverage.gaps > ScheduleOptions.coverageLimit / 2 {
            let widest = zip(table.points, table.points.dropFirst()).max { a, b in
                Double(a.1.step - a.0.step) * abs(a.1.rate - a.0.rate) < Double(b.1.step - b.0.step) * abs(b.1.rate - b.0.rate)
            }!
            reasons.append(
                "the logged lr is too sparse to carry the schedule (e.g. it moves from \(SpecValue.format(widest.0.rate)) at step \(widest.0.step) to \(SpecValue.format(widest.1.rate)) at step \(widest.1.step) with no record between)")
        }
        let percent = String(format: "%.2g", 100 * (leading + coverage.gaps))
        throw LawfitError.input(
            "run '\(run.name)': --schedule-from lr cannot carry the schedule: \(reasons.joined(separator: "; and ")); the intrinsic time could be off by up to \(percent) % (the limit is 1 %). "
                + "Give the schedule as a spec with --schedule (e.g. cosine(peak=..., warmup=..., warmup_from=..., total=...)), or for a branch of another run, --fork RUN=PARENT@STEP",
            at: run.source.map { SourceLocation(file: $0) })
    }

    private func noRates(_ run: Run, after step: Int?) -> LawfitError {
        LawfitError.input(
            "run '\(run.name)' has no steps with a learning rate\(step.map { " after its fork step \($0)" } ?? "") to tabulate",
            at: run.source.map { SourceLocation(file: $0) })
    }

    private func unknownRun(_ name: String, in fork: RunFork) -> LawfitError {
        LawfitError.input("--fork \(fork): no run named '\(name)'; the runs are \(runs.map(\.name).joined(separator: ", "))")
    }
}
