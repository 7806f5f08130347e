import Foundation
import LawfitCore
import Testing
import TestSupport

/// W&B history exports as they come (../shared/datasets/lr-scheduling-124m): sparse columns, keys
/// with slashes, a step's keys in several rows, a resumed run with repeated, unsorted steps, and
/// cooldown branches that hold only the steps after their fork.
@Suite struct DataWandBLogTests {
    static let folder = "lr-scheduling-124m/"

    /// A reader as `lawfit` sets it up for `--loss val/loss` (or train/loss) with default columns.
    static func reader(loss: String = "val/loss", policy: RepeatedStepPolicy = .last) -> TrainingLogReader {
        TrainingLogReader(
            mapping: ColumnMapping(loss: loss), required: [.step], sparse: [.loss, .learningRate], repeatedSteps: policy,
            fallbackColumns: [.step: ["_step"], .learningRate: ["train/lr"]])
    }

    static func read(_ name: String, loss: String = "val/loss", policy: RepeatedStepPolicy = .last) throws -> TrainingLog? {
        guard let url = try SharedData.dataset(folder + name) else { return nil }
        return try reader(loss: loss, policy: policy).read(url)
    }

    /// Every file loads as it is; rows of one `_step` are merged; the counts are those of the files
    /// (train rows every 50 steps, val rows every 200 but one, counted with Python's csv module).
    @Test(arguments: [
        // file, unique steps, first, last, val points, train-lr points
        ("stable_50000.csv", 1001, 0, 50000, 250, 1000),
        ("cosine10_25000.csv", 501, 0, 25000, 125, 500),
        ("cooldown0.2_25000.csv", 101, 20000, 25000, 25, 100),
        ("cooldown0.4_50000_resumed.csv", 401, 30000, 50000, 100, 400),
    ])
    func loadsAsItIs(_ file: String, _ steps: Int, _ first: Int, _ last: Int, _ valPoints: Int, _ rates: Int) throws {
        guard let log = try Self.read(file) else { return }
        let observations = try #require(log.runs.first).observations
        #expect(log.runs.count == 1)
        #expect(observations.count == steps)
        #expect(observations.first?.step == first && observations.last?.step == last)
        #expect(zip(observations, observations.dropFirst()).allSatisfy { $0.step! < $1.step! })
        #expect(observations.filter { $0.loss != nil }.count == valPoints)
        #expect(observations.filter { $0.learningRate != nil }.count == rates)
        #expect(log.notes.contains { $0.contains("reading step from '_step'") })
    }

    @Test func aStepsKeysInSeveralRowsMerge() throws {
        guard let log = try Self.read("stable_50000.csv") else { return }
        // Line 6 `200,,,5.437...` (val) and line 7 `200,0.00067,5.377...,` (train) are one step.
        let step200 = try #require(log.runs[0].observations.first { $0.step == 200 })
        #expect(step200.loss == 5.437021732330322)
        #expect(step200.learningRate == 0.0006699999999999999)
        #expect(step200.extra["train/loss"] == 5.377254009246826)
        // No value was logged twice, and the rows were in order: nothing to say about repeats.
        #expect(!log.notes.contains { $0.contains("logged twice") })
    }

    /// The resumed run logs val/loss at 39200 in both attempts (3.043945550918579 in the first,
    /// line 6; 3.0439000129699707 in the second, line 318): the policy picks one.
    @Test(arguments: [(RepeatedStepPolicy.last, 3.0439000129699707), (.first, 3.043945550918579)])
    func resumedRunFollowsThePolicy(_ policy: RepeatedStepPolicy, _ expected: Double) throws {
        guard let log = try Self.read("cooldown0.4_50000_resumed.csv", policy: policy) else { return }
        let step = try #require(log.runs[0].observations.first { $0.step == 39200 })
        #expect(step.loss == expected)
        let note = try #require(log.notes.first { $0.contains("logged twice") })
        #expect(note.contains("were sorted"))
        #expect(note.contains("--repeated-steps \(policy.rawValue)"))
    }

    @Test func resumedRunIsRefusedUnderTheErrorPolicy() throws {
        guard let url = try SharedData.dataset(Self.folder + "cooldown0.4_50000_resumed.csv") else { return }
        let error = try #require(throws: LawfitError.self) { try Self.reader(policy: .error).read(url) }
        // Line 272 (`30000,,,3.14...`) comes after step 49800 on line 271.
        #expect(error.location == SourceLocation(file: url.relativePath, line: 272, column: "_step"))
        #expect(error.message.hasPrefix("decreasing step 30000 in run 'cooldown0.4_50000_resumed' (after step 49800 on line 271)"))
    }

    @Test func errorPolicyMergesDisjointKeysButRefusesAValueLoggedTwice() throws {
        let merged = try TrainingLogReader(required: [], sparse: [.loss, .learningRate], repeatedSteps: .error)
            .read(data: Data("step,lr,loss\n1,0.1,\n1,,3.0\n2,0.1,2.9\n".utf8), file: "t.csv", format: .csv)
        #expect(merged.runs[0].observations.map(\.loss) == [3.0, 2.9])
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(required: [], sparse: [.loss], repeatedSteps: .error)
                .read(data: Data("step,loss\n1,3.1\n1,3.0\n".utf8), file: "t.csv", format: .csv)
        }
        #expect(error.location == SourceLocation(file: "t.csv", line: 3, column: "step"))
        #expect(error.message.contains("duplicate step 1") && error.message.contains("both rows log loss"))
    }

    /// An explicit column is authoritative: no fallback when the user named `step`.
    @Test func fallbackColumnsAreOnlyForDefaults() throws {
        let text = "_step,loss\n1,3\n"
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(required: [.step]).read(data: Data(text.utf8), file: "t.csv", format: .csv)
        }
        #expect(error.message.contains("missing required column 'step'"))
        let log = try TrainingLogReader(required: [.step], fallbackColumns: [.step: ["_step"]]).read(data: Data(text.utf8), file: "t.csv", format: .csv)
        #expect(log.runs[0].observations[0].step == 1)
    }

    /// The two cooldown branches joined to stable_50000 from the logs alone (`--schedule-from lr
    /// --fork`): the joined schedule reproduces the branch's logged lr and, up to the fork, the
    /// parent's, to 1e-6 relative; tau at the fork is the parent's.
    @Test(arguments: [("cooldown0.2_25000.csv", 20000), ("cooldown0.4_50000_resumed.csv", 30000)])
    func branchesJoinedToTheirParentReproduceTheLoggedRates(_ file: String, _ forkStep: Int) throws {
        guard let parentLog = try Self.read("stable_50000.csv"), let branchLog = try Self.read(file) else { return }
        let (parent, branch) = (parentLog.runs[0], branchLog.runs[0])
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        let joiner = RunScheduleJoiner(
            runs: [parent, branch], specs: nil, fromLog: true,
            forks: [RunFork(run: branch.name, parent: .run(parent.name), step: forkStep)], registry: registry)
        let schedules = try joiner.schedules()
        let joined = try #require(schedules[1])
        #expect(joined.totalSteps == branch.observations.last?.step)
        var worst = 0.0, checked = 0
        for point in branch.observations + parent.observations.filter({ $0.step! <= forkStep }) {
            guard let step = point.step, let logged = point.learningRate else { continue }
            let error = logged == 0 ? abs(joined.rate(at: step)) : abs(joined.rate(at: step) / logged - 1)
            worst = max(worst, error.isNaN ? .infinity : error)
            checked += 1
        }
        #expect(checked >= 500)
        #expect(worst <= 1e-6, "worst relative error \(worst)")
        let (a, b) = (DenseSchedule(try #require(schedules[0])), DenseSchedule(joined))
        #expect(a.intrinsicTime[forkStep] == b.intrinsicTime[forkStep])
        // Without the fork the branch's log starts at 20050 / 30050: refused, with the fix.
        let alone = RunScheduleJoiner(runs: [branch], specs: nil, fromLog: true, forks: [], registry: registry)
        let error = try #require(throws: LawfitError.self) { try alone.schedules() }
        #expect(error.message.contains("the logged lr starts at step \(forkStep + 50)"))
        #expect(error.message.contains("--fork RUN=PARENT@STEP"))
    }

    /// TensorBoard's scalar CSV export (`Wall time,Step,Value`) with `--loss Value`.
    @Test func tensorBoardScalarExportReads() throws {
        let text = "Wall time,Step,Value\n1700000000.5,100,3.25\n1700000010.25,200,3.125\n"
        let reader = TrainingLogReader(mapping: ColumnMapping(loss: "Value"), required: [.loss, .step], fallbackColumns: [.step: ["_step", "Step"]])
        let log = try reader.read(data: Data(text.utf8), file: "run-train-tag-loss.csv", format: .csv)
        #expect(log.runs[0].observations.map(\.step) == [100, 200])
        #expect(log.runs[0].observations.map(\.loss) == [3.25, 3.125])
        #expect(log.runs[0].observations[0].extra["Wall time"] == 1700000000.5)
        #expect(log.notes == ["run-train-tag-loss.csv: no column 'step'; reading step from 'Step' (set it with --step)"])
    }

    @Test func forkAndPointFilterSyntax() throws {
        #expect(try RunFork(parsing: "cooldown=stable@20000") == RunFork(run: "cooldown", parent: .run("stable"), step: 20000))
        let spec = try RunFork(parsing: "b=constant(peak=1e-3, total=50000)@300")
        #expect(spec.parent == .spec("constant(peak=1e-3, total=50000)") && spec.step == 300)
        for (text, reason) in [("b@1", "no '='"), ("b=a", "no '@STEP'"), ("b=a@x", "the step 'x' is not a whole number"), ("=a@1", "no run name")] {
            let error = try #require(throws: LawfitError.self) { try RunFork(parsing: text) }
            #expect(error.message.hasPrefix("invalid --fork '\(text)': \(reason)"), "\(error.message)")
        }
        let filter = try PointFilter(expressions: ["step>=1000", "val/loss<3.2"], mapping: ColumnMapping(loss: "val/loss"))
        #expect(filter.keeps(Observation(loss: 3.1, step: 1000)))
        #expect(!filter.keeps(Observation(loss: 3.3, step: 1000)))
        #expect(!filter.keeps(Observation(loss: 3.1, step: 999)))
        #expect(!filter.keeps(Observation(step: 2000)))  // no value: not kept
        #expect(filter.description == "step>=1000 and val/loss<3.2")
    }

    /// 72 bytes per point (was 137 with optionals and their tags): the per-row budget of a long log.
    @Test func observationIsCompact() {
        #expect(MemoryLayout<Observation>.stride == 40)
        var point = Observation(loss: .nan, step: 0)
        #expect(point.loss?.isNaN == true)
        #expect(point.learningRate == nil && point.line == nil)
        point.loss = nil
        #expect(point == Observation(step: 0))
        // N, D, C, U and the extra columns share a box that is copied on write: a copy keeps its values.
        var table = Observation(loss: 2, parameters: 1e9, tokens: 2e10, extra: ["width": 512])
        let copy = table
        table.parameters = 4e9
        table.extra["width"] = 1024
        table.tokens = nil
        #expect(copy.parameters == 1e9 && copy.tokens == 2e10 && copy.extra == ["width": 512])
        #expect(table.parameters == 4e9 && table.tokens == nil && table.extra == ["width": 1024])
        #expect(copy.effectiveCompute == 6 * 1e9 * 2e10 && table.effectiveCompute == nil)
        // Clearing a boxed value equals never having set it.
        table.parameters = nil
        table.extra = [:]
        #expect(table == Observation(loss: 2))
    }
}
