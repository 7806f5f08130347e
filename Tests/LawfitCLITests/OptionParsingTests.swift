import ArgumentParser
import LawfitCore
import Testing

@testable import lawfit

/// Every command's options parsed in process, as swift-argument-parser's own `AssertParse` helpers
/// do: `Lawfit.parseAsRoot` (which runs each `validate()`), the parsed values, and the message and
/// exit code of each refused value or combination (what `lawfit` prints after `lawfit: error: `).
@Suite("Option parsing, in process")
struct OptionParsingTests {
    /// `lawfit arguments...` parsed into a command of type `C`.
    static func parse<C: ParsableCommand>(_ type: C.Type, _ arguments: [String]) throws -> C {
        let command = try Lawfit.parseAsRoot(arguments)
        return try #require(command as? C, "parsed \(Swift.type(of: command))")
    }

    /// The first line `lawfit` prints for a refused command line, and its exit code (2: usage).
    static func refusal(_ arguments: [String]) -> (line: String, status: Int32)? {
        do {
            _ = try Lawfit.parseAsRoot(arguments)
            return nil
        } catch {
            let text = Lawfit.fullMessage(for: error, columns: 1000)
            let status: Int32 = Lawfit.exitCode(for: error) == .validationFailure ? 2 : 1
            return (String(text.split(separator: "\n").first ?? ""), status)
        }
    }

    /// Expects `arguments` to be refused with exit code 2 and exactly `message`.
    static func expectRefused(_ arguments: [String], _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let refused = refusal(arguments)
        #expect(refused?.status == 2, "\(arguments)", sourceLocation: sourceLocation)
        #expect(refused?.line == "lawfit: error: " + message, sourceLocation: sourceLocation)
    }

    static let fit = ["fit", "--law", "chinchilla"]
    static let compare = ["compare", "--law", "chinchilla"]

    // MARK: fit

    @Test("fit: defaults are Huber(1e-3) on log residuals, auto, the grid, seed 0, text")
    func fitDefaults() throws {
        let command = try Self.parse(FitCommand.self, Self.fit)
        #expect(command.objectiveSpec == ObjectiveSpec(loss: .huber(delta: 1e-3), space: .log))
        #expect(command.method == .auto)
        #expect(command.start.starts == .grid && command.start.seed == 0)
        #expect(command.format == .text)
    }

    @Test("fit: --objective and --space, and every other typed option")
    func fitCanonical() throws {
        let command = try Self.parse(FitCommand.self, Self.fit + [
            "--objective", "huber:0.05", "--space", "linear", "--method", "LN_BOBYQA", "--polish", "LD_LBFGS",
            "--starts", "64", "--seed", "3", "--workers", "2", "--format", "json",
        ])
        #expect(command.objectiveSpec == ObjectiveSpec(loss: .huber(delta: 0.05), space: .linear))
        #expect(command.method == .nlopt("LN_BOBYQA") && command.polish == "LD_LBFGS")
        #expect(command.start.starts == .count(64) && command.start.seed == 3 && command.start.workers == 2)
        #expect(command.format == .json)
        #expect(try Self.parse(FitCommand.self, Self.fit + ["--objective", "squared"]).objectiveSpec == ObjectiveSpec(loss: .squared, space: .log))
    }

    @Test(
        "fit: the deprecated --penalty, --huber-delta and --loss-space mean what --objective and --space mean",
        arguments: [
            (["--penalty", "squared", "--loss-space", "linear"], ["--objective", "squared", "--space", "linear"]),
            (["--penalty", "huber", "--huber-delta", "0.05", "--loss-space", "log"], ["--objective", "huber:0.05", "--space", "log"]),
            (["--huber-delta", "0.05"], ["--objective", "huber:0.05"]),
            (["--penalty", "huber"], ["--objective", "huber:0.001"]),
            (["--method", "varpro", "--penalty", "squared"], ["--method", "varpro", "--objective", "squared"]),
            (["--method", "varpro", "--loss-space", "linear"], ["--method", "varpro", "--space", "linear"]),
        ])
    func fitAliases(old: [String], canonical: [String]) throws {
        let deprecated = try Self.parse(FitCommand.self, Self.fit + old).objectiveSpec
        #expect(deprecated == (try Self.parse(FitCommand.self, Self.fit + canonical).objectiveSpec))
    }

    @Test("fit: the deprecated spellings give the numbers they always gave")
    func fitAliasValues() throws {
        #expect(try Self.parse(FitCommand.self, Self.fit + ["--penalty", "squared", "--loss-space", "linear"]).objectiveSpec
            == ObjectiveSpec(loss: .squared, space: .linear))
        #expect(try Self.parse(FitCommand.self, Self.fit + ["--huber-delta", "0.05"]).objectiveSpec == ObjectiveSpec(loss: .huber(delta: 0.05), space: .log))
        // Compare accepts them too (one option group), to the same effect.
        #expect(try Self.parse(CompareCommand.self, Self.compare + ["--loss-space", "linear"]).objectiveOptions.spec() == ObjectiveSpec(space: .linear))
    }

    @Test("fit --method varpro defaults to squared error on linear residuals, any case")
    func fitVariableProjection() throws {
        for name in ["varpro", "VarPro"] {
            let command = try Self.parse(FitCommand.self, Self.fit + ["--method", name])
            #expect(command.method == .variableProjection)
            #expect(command.objectiveSpec == ObjectiveSpec(loss: .squared, space: .linear))
        }
        #expect(try Self.parse(FitCommand.self, Self.fit + ["--method", "lm"]).method == .levenbergMarquardt)
        #expect(try Self.parse(FitCommand.self, Self.fit + ["--method", "LBFGS"]).method == .lbfgs)
    }

    @Test("fit: refused objectives, methods and combinations name the option and the value")
    func fitRefusals() {
        Self.expectRefused(Self.fit + ["--objective", "squared", "--penalty", "huber"],
            "give the objective once: --objective, or the deprecated --penalty and --huber-delta, not both")
        Self.expectRefused(Self.fit + ["--objective", "huber:0.1", "--huber-delta", "0.1"],
            "give the objective once: --objective, or the deprecated --penalty and --huber-delta, not both")
        Self.expectRefused(Self.fit + ["--space", "log", "--loss-space", "linear"], "give --space or the deprecated --loss-space, not both")
        Self.expectRefused(Self.fit + ["--huber-delta", "0"], "--huber-delta must be positive, got 0.0")
        Self.expectRefused(Self.fit + ["--penalty", "squared", "--huber-delta", "0.1"], "--huber-delta applies to --penalty huber, not squared")
        Self.expectRefused(Self.fit + ["--objective", "huber:-1"], "--objective huber:DELTA needs a finite DELTA > 0, got -1.0")
        Self.expectRefused(Self.fit + ["--objective", "huber:inf"], "--objective huber:DELTA needs a finite DELTA > 0, got inf")
        Self.expectRefused(Self.fit + ["--objective", "hubber:1"], "The value 'hubber:1' is invalid for '--objective <huber:DELTA|squared>'")
        // A hidden (deprecated) option's message names it and the value, without listing the values.
        Self.expectRefused(Self.fit + ["--penalty", "cauchy"], "The value 'cauchy' is invalid for '--penalty'")
        Self.expectRefused(Self.fit + ["--space", "sqrt"], "The value 'sqrt' is invalid for '--space <space>'. Please provide one of 'log' and 'linear'.")
        Self.expectRefused(Self.fit + ["--format", "yaml"], "The value 'yaml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'.")
        Self.expectRefused(Self.fit + ["--method", "varpro", "--objective", "huber:0.1"],
            "--method varpro fits squared error in linear space, not huber(delta=0.1) on linear residuals")
        Self.expectRefused(Self.fit + ["--method", "varpro", "--space", "log"], "--method varpro fits squared error in linear space, not squared on log residuals")
        Self.expectRefused(Self.fit + ["--method", "varpro", "--bound", "alpha=0.1:0.5"],
            "--bound applies to the NLopt methods; --method varpro keeps E, A, B >= 0 and the exponents free")
        let unknown = Self.refusal(Self.fit + ["--method", "LD_NOPE"])
        #expect(unknown?.status == 2)
        #expect(unknown?.line.hasPrefix("lawfit: error: unknown NLopt algorithm 'LD_NOPE'; this NLopt knows: ") == true, "\(String(describing: unknown))")
        #expect(Self.refusal(Self.fit + ["--polish", "LN_NOPE"])?.line.hasPrefix("lawfit: error: unknown NLopt algorithm 'LN_NOPE'") == true)
    }

    // MARK: starts, seed, workers (fit, compare, demo)

    @Test("--starts, --seed, --workers: one option group, the same names and limits in fit, compare and demo")
    func startOptions() throws {
        let fit = try Self.parse(FitCommand.self, Self.fit + ["--starts", "8", "--seed", "5", "--workers", "3"]).start
        #expect(fit.starts == .count(8) && fit.seed == 5 && fit.workers == 3)
        let compare = try Self.parse(CompareCommand.self, Self.compare + ["--starts", "grid", "--seed", "5", "--workers", "3"]).start
        #expect(compare.starts == .grid && compare.seed == 5 && compare.workers == 3)
        let demo = try Self.parse(DemoCommand.self, ["demo", "--starts", "2", "--workers", "1"]).start
        #expect(demo.starts == .count(2) && demo.seed == 0 && demo.workers == 1)
        Self.expectRefused(Self.fit + ["--starts", "1000000"], "--starts 1000000 is more than the 100000 starts a fit may have")
        Self.expectRefused(Self.fit + ["--starts", "1e9"], "The value '1e9' is invalid for '--starts <grid|N>'")
        Self.expectRefused(Self.fit + ["--workers", "0"], "--workers must be between 1 and 256, got 0")
        for command in [Self.compare, ["demo"]] {
            Self.expectRefused(command + ["--starts", "0"], "--starts must be grid or a whole number of starts >= 1, got '0'")
            Self.expectRefused(command + ["--workers=-3"], "--workers must be between 1 and 256, got -3")
        }
    }

    // MARK: compare

    @Test("compare: defaults, and every typed option")
    func compareOptions() throws {
        let plain = try Self.parse(CompareCommand.self, Self.compare)
        #expect(plain.objectiveOptions.spec() == ObjectiveSpec(loss: .huber(delta: 1e-3), space: .log))
        #expect(plain.metric == .logRMSE && plain.split == nil && plain.bootstrapUnit == nil && plain.reportFormats.isEmpty)
        #expect(try Self.parse(CompareCommand.self, Self.compare + ["--report", "out"]).reportFormats == ReportFormat.allCases)

        let command = try Self.parse(CompareCommand.self, Self.compare + [
            "--objective", "huber:0.004", "--space", "linear", "--metric", "mean-relative-error", "--split", "kfold:5:seed=2",
            "--format", "MD", "--format", "html", "--bootstrap", "10", "--bootstrap-unit", "blocks:20",
        ])
        #expect(command.objectiveOptions.spec() == ObjectiveSpec(loss: .huber(delta: 0.004), space: .linear))
        #expect(command.metric == .meanRelativeError)
        #expect(command.split == .kFold(k: 5, seed: 2))
        #expect(command.reportFormats == [.markdown, .html])
        #expect(command.bootstrap == 10)
        #expect(command.bootstrapUnit?.unit == .blocks && command.bootstrapUnit?.blockLength == 20)
        let runs = try Self.parse(CompareCommand.self, Self.compare + ["--bootstrap-unit", "runs"]).bootstrapUnit
        #expect(runs?.unit == .runs && runs?.blockLength == nil)
    }

    @Test("compare: refused values name the option, the value and what is allowed")
    func compareRefusals() {
        Self.expectRefused(Self.compare + ["--format", "pdf"],
            "The value 'pdf' is invalid for '--format <format>'. Please provide one of 'json', 'markdown' or 'html'.")
        Self.expectRefused(Self.compare + ["--metric", "r2"],
            "The value 'r2' is invalid for '--metric <metric>'. Please provide one of 'log-rmse', 'rmse', 'mae' or 'mean-relative-error'.")
        Self.expectRefused(Self.compare + ["--split", "kfold:1"],
            "The value 'kfold:1' is invalid for '--split <split>': split 'kfold:1': give the number of folds (at least 2), e.g. kfold:5")
        Self.expectRefused(Self.compare + ["--bootstrap-unit", "blocks:0"],
            "--bootstrap-unit blocks:LENGTH needs a block length from 1 to 1000000 points, got 'blocks:0'")
        Self.expectRefused(Self.compare + ["--bootstrap-unit", "chunks"],
            "The value 'chunks' is invalid for '--bootstrap-unit <points|runs|blocks|blocks:LENGTH>'")
        Self.expectRefused(Self.compare + ["--bootstrap=-5"], "--bootstrap must be between 0 and 100000, got -5")
        Self.expectRefused(Self.compare + ["--objective", "squared", "--huber-delta", "1"],
            "give the objective once: --objective, or the deprecated --penalty and --huber-delta, not both")
    }

    // MARK: data and schedules (every command that reads logs)

    @Test("data and schedule options: typed choices and their rules")
    func dataAndScheduleOptions() throws {
        let command = try Self.parse(FitCommand.self, Self.fit + ["--repeated-steps", "first", "--schedule-from", "lr", "--smooth", "0.9"])
        #expect(command.data.repeatedSteps == .first && command.schedules.scheduleFrom == .lr && command.data.smoothing == 0.9)
        #expect(try Self.parse(FitCommand.self, Self.fit).data.repeatedSteps == .last)
        Self.expectRefused(Self.fit + ["--repeated-steps", "sometimes"],
            "The value 'sometimes' is invalid for '--repeated-steps <last|first|error>'. Please provide one of 'last', 'first' or 'error'.")
        Self.expectRefused(Self.fit + ["--schedule-from", "loss"], "The value 'loss' is invalid for '--schedule-from <column>'. Please provide one of 'lr'.")
        Self.expectRefused(Self.fit + ["--schedule-from", "lr", "--schedule", "constant(peak=1, total=10)"],
            "give either --schedule or --schedule-from, not both")
        Self.expectRefused(Self.fit + ["--drop-highest-loss=-1"], "--drop-highest-loss must be at least 0, got -1")
        Self.expectRefused(["predict", "--law", "chinchilla", "--smooth", "1"], "--smooth: the smoothing weight must lie in [0, 1), got 1.0")
    }

    // MARK: optimal, predict, simulate, schedule show, demo

    @Test("optimal: the two modes and their rules")
    func optimalOptions() throws {
        let schedule = try Self.parse(OptimalCommand.self, ["optimal", "--law", "fsl", "--family", "wsd", "--total", "100", "--peak", "1e-3", "--format", "json"])
        #expect(schedule.family == .wsd && schedule.total == 100 && schedule.peak == 1e-3 && schedule.format == .json)
        #expect(try Self.parse(OptimalCommand.self, ["optimal", "--compute", "1e21", "--compute", "1e23"]).compute == [1e21, 1e23])
        Self.expectRefused(["optimal", "--family", "step", "--total", "100", "--peak", "1e-3"],
            "The value 'step' is invalid for '--family <family>'. Please provide one of 'wsd', 'cosine' or 'free'.")
        Self.expectRefused(["optimal", "--family", "wsd", "--total", "100", "--peak", "1e-3", "--compute", "1e20"], "give either --compute or --family, not both")
        Self.expectRefused(["optimal", "--family", "wsd", "--total", "100"], "--family needs --total STEPS and --peak RATE")
        Self.expectRefused(["optimal", "--family", "wsd", "--total", "100", "--peak", "0"], "--peak must be a finite number > 0, got 0.0")
        Self.expectRefused(["optimal", "--family", "wsd", "--total", "100", "--peak", "1", "--warmup", "200"], "--warmup must be between 0 and 100, got 200")
        Self.expectRefused(["optimal", "--family", "wsd", "--total", "0", "--peak", "1"], "--total must be between 1 and \(ScheduleSpec.maximumSteps), got 0")
        Self.expectRefused(["optimal", "--law", "chinchilla"], "give a compute budget with --compute C (FLOP)")
        Self.expectRefused(["optimal", "--compute=-1"], "--compute must be a finite number > 0, got -1.0")
    }

    @Test("predict, simulate, schedule show, demo: their ranges and choices")
    func otherCommands() throws {
        Self.expectRefused(["predict", "--law", "chinchilla", "--every", "0"], "--every must be at least 1, got 0")
        let simulate = ["simulate", "--kernel", "powerlaw()", "--schedule", "constant(peak=0.1, total=10)"]
        #expect(try Self.parse(SimulateCommand.self, simulate + ["--batch", "4", "--noise", "0.09"]).batch == 4)
        Self.expectRefused(simulate + ["--every", "0"], "--every must be at least 1, got 0")
        Self.expectRefused(simulate + ["--batch", "0"], "--batch must be at least 1, got 0")
        Self.expectRefused(simulate + ["--noise=-1"], "--noise must be a finite number >= 0, got -1.0")
        Self.expectRefused(simulate + ["--noise", "nan"], "--noise must be a finite number >= 0, got nan")
        #expect(try Self.parse(ScheduleCommand.Show.self, ["schedule", "show", "constant(peak=1, total=10)", "--format", "csv"]).format == .csv)
        #expect(try Self.parse(ScheduleCommand.Show.self, ["schedule", "show", "constant(peak=1, total=10)"]).format == .table)
        Self.expectRefused(["schedule", "show", "constant(peak=1, total=10)", "--format", "xml"],
            "The value 'xml' is invalid for '--format <format>'. Please provide one of 'table' and 'csv'.")
        #expect(try Self.parse(DemoCommand.self, ["demo"]).bootstrap == 40)
        Self.expectRefused(["demo", "--bootstrap=-1"], "--bootstrap must be between 0 and 100000, got -1")
    }
}
