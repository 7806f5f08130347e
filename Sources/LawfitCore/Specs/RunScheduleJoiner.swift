import Foundation

/// Each run's schedule: its given spec or its logged lr, joined to its parent's up to the fork step
/// for the runs that name one (``RunFork``), and checked for coverage when read from the log.
///
/// A branch read from its log gets ``ForkedSchedule``(F, parent, table) where the table starts with
/// the parent's rate at F and continues with the branch's logged rates after F, so steps between F
/// and the branch's first record are interpolated from the parent's last rate.
public struct RunScheduleJoiner {
    /// The largest bound on the intrinsic-time error of a schedule read from a log's lr column
    /// (``TabulatedSchedule/loggedCoverage``) that is accepted: 1 %.
    public static let coverageLimit = 0.01

    let runs: [Run]
    let specs: [any LearningRateSchedule]?
    let fromLog: Bool
    let forks: [RunFork]
    let registry: PluginRegistry

    /// - Parameters:
    ///   - runs: the runs, with unique names.
    ///   - specs: one schedule per run when schedules are given as specs, else `nil`.
    ///   - fromLog: whether schedules are read from the runs' logged lr (when `specs` is `nil`).
    ///   - forks: the branches; parents named by run or by spec.
    ///   - registry: resolves the specs of spec parents.
    public init(runs: [Run], specs: [any LearningRateSchedule]?, fromLog: Bool, forks: [RunFork], registry: PluginRegistry) {
        self.runs = runs
        self.specs = specs
        self.fromLog = fromLog
        self.forks = forks
        self.registry = registry
    }

    /// One schedule per run, in order (`nil` when neither specs nor the log give one).
    ///
    /// - Throws: ``LawfitError`` (input) for a fork naming an unknown run, a run with two parents, a
    ///   cycle, a branch with points before its fork step or no rates after it, a parent that ends
    ///   before the fork, or a logged schedule that cannot be carried (see ``coverageLimit``).
    public func schedules() throws -> [(any LearningRateSchedule)?] {
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

    /// The (step, lr) records of a run, in order.
    static func loggedRates(_ run: Run) -> [(step: Int, rate: Double)] {
        run.observations.compactMap { o in o.step.flatMap { s in o.learningRate.map { (step: s, rate: $0) } } }
    }

    /// Refuses a table whose intrinsic time could be off by more than the limit.
    private func check(_ table: TabulatedSchedule, run: Run, startKnown: Bool) throws {
        let coverage = table.loggedCoverage
        let leading = startKnown ? 0 : coverage.leading
        guard leading + coverage.gaps > Self.coverageLimit else { return }
        let first = table.points[0]
        var reasons: [String] = []
        if leading > Self.coverageLimit / 2 {
            reasons.append("the logged lr starts at step \(first.step), so the rates of steps 0-\(first.step - 1) are unknown (they would be carried back from step \(first.step))")
        }
        if coverage.gaps > Self.coverageLimit / 2 {
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
