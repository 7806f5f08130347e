import ArgumentParser
import Foundation
import LawfitCore
import Optimization

/// `lawfit fit`: fits any registered law to training logs and reports the best parameters.
struct FitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Fit a law to training logs.",
        discussion: """
            The objective is a SUM over points of Huber(delta) (default 1e-3) or squared residuals, in log
            space (log Lhat - log L, the default) or linear space. Starts: the law's default grid or N
            low-discrepancy points. --method auto (the default) runs Levenberg-Marquardt on the law's Jacobian
            for the loss-curve laws (multi-power, fsl, lr-annealing) and LD_LBFGS for the others
            (Docs/Fitting.md); --method lm forces Levenberg-Marquardt, and any NLopt algorithm runs by name
            (--method LD_LBFGS, LN_BOBYQA, ...).
            --method varpro fits a law linear in some parameters (chinchilla) by variable projection:
            squared error in linear space, non-negative least squares for the linear parameters.
            --bound NAME=LOW:HIGH narrows a parameter's box (natural units, within the law's own bounds;
            repeatable), as lmfit's Parameter.set(min=, max=); `lawfit plugins` lists each law's parameters.
            A fit whose every parameter ends at a bound of its box fails (exit 1): the law cannot describe
            the data within its bounds. With --no-timing the output is the same bytes for the same command
            and seed, whatever --workers (see Docs/Errors.md).

            Examples:
              lawfit fit --law chinchilla --data svg_extracted_data.csv --params 'Model Size' \\
                  --compute 'Training FLOP' --drop-highest-loss 5 --output fit.json --format json
              lawfit fit --law chinchilla --data runs.csv --method varpro
              lawfit fit --law kaplan --data runs.csv --method LN_BOBYQA --starts 64 --seed 3
              lawfit fit --law chinchilla --data runs.csv --bound alpha=0.2:0.5 --bound E=1.5:inf
              lawfit fit --law multi-power --data cosine.csv --data constant.csv \\
                  --schedule 'cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)' \\
                  --schedule 'constant(peak=3e-4, warmup=2160, total=24000)'
            """)

    @Option(help: "The law to fit (see `lawfit plugins`).") var law: String
    @OptionGroup(title: "Data") var data: DataOptions

    @Option(name: .customLong("penalty"), help: "huber or squared (default huber; squared for varpro).")
    var penalty: String?
    @Option(name: .customLong("huber-delta"), help: "The Huber threshold delta (default 1e-3).")
    var huberDelta: Double?
    @Option(name: .customLong("loss-space"), help: "log or linear residuals (default log; linear for varpro).")
    var lossSpace: String?
    @Option(help: "auto (the default), lm (Levenberg-Marquardt), lbfgs, varpro, or any NLopt algorithm name (LD_LBFGS, LN_BOBYQA, GN_CRS2_LM, ...).")
    var method = "auto"
    @Option(help: "A local NLopt algorithm to polish the result of a global one.")
    var polish: String?
    @Option(name: .customLong("bound"), help: "NAME=LOW:HIGH narrows a parameter's bounds (natural units; repeatable).")
    var bounds: [String] = []
    @Option(help: "grid (the law's default start grid) or a number of low-discrepancy starts.")
    var starts = "grid"
    @Option(help: "Seed for every random choice.") var seed: UInt64 = 0
    @Option(help: "Parallel workers (the result does not depend on it).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup(title: "Schedules") var schedules: ScheduleOptions

    @Option(help: "Write the result to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "json or text.") var format = "text"
    @Flag(name: .customLong("no-timing"), help: "Leave out the fit's seconds, so the same command gives byte-identical output.")
    var noTiming = false
    @Flag(help: "No progress display on stderr.") var quiet = false
    @OptionGroup var plugins: PluginOptions

    func run() async throws {
        guard format == "json" || format == "text" else { throw LawfitError.input("--format must be json or text, got '\(format)'") }
        if let output { try AtomicFile.checkDestination(output, inputs: data.files) }
        _ = try OptionChecks.workers(workers)
        _ = try OptionChecks.starts(starts)
        let registry = try plugins.makeRegistry()
        let law = try narrowed(try registry.law(named: law))
        let runs = try schedules.readRuns(data, needing: law.requiredInputs, registry: registry)
        try law.validate(runs)
        try data.requirePoints(runs, atLeast: law.parameterSpace(adaptedTo: runs).count, for: law.name)
        let (result, objective) = try await fitShowingProgress(law, runs)
        if let contacts = result.everyParameterAtBound(in: law.parameterSpace(adaptedTo: runs)) {
            throw LawfitError.fit(FitResult.everyBoundMessage(law: law.name, contacts))
        }
        let text: String
        if format == "json" {
            let fit: any Encodable = noTiming ? result.withoutTiming : result
            text = String(decoding: try StableJSON.encode(FitFileOutput(fit: fit, runs: runs)), as: UTF8.self)
        } else {
            let statistics = try objective.map { try FitStatistics(
                objective: $0, fit: result, curveRunSizes: FitStatistics.curveRunSizes(runs), warmup: WarmupPoints(runs: runs)) }
                ?? FitStatistics(law: law, fit: result, runs: runs)
            text = FitReport.render(result, statistics: statistics, timing: !noTiming) + "\n"
        }
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            print(text, terminator: "")
        }
    }

    /// Fits by the chosen method; the objective the fit minimised comes back where the statistics
    /// can reuse it (every method but varpro).
    private func fit(
        _ law: any ScalingLaw, _ runs: [Run], progress: (@Sendable (StartProgress) -> Void)?
    ) async throws -> (FitResult, BoundObjective?) {
        let isProjection = method.lowercased() == "varpro"
        let spec = try objective(defaultSquaredLinear: isProjection)
        let startPlan = try OptionChecks.starts(starts)
        let choice = method.lowercased()
        let algorithm = ["auto", "lm"].contains(choice) && polish == nil
            ? nil : try nloptAlgorithm(isProjection || ["lbfgs", "lm", "auto"].contains(choice) ? "LD_LBFGS" : method)
        var options = FitOptions(
            objective: spec, algorithm: algorithm, polish: try polish.map(nloptAlgorithm),
            starts: startPlan, seed: seed, workers: workers, progress: progress)
        if choice == "lm", polish == nil { options.localMethod = .levenbergMarquardt }
        if isProjection {
            guard bounds.isEmpty else {
                throw LawfitError.input("--bound applies to the NLopt methods; --method varpro keeps E, A, B >= 0 and the exponents free")
            }
            guard let separable = law as? any LinearlySeparableLaw else {
                throw LawfitError.input("law '\(law.name)' is not linear in any of its parameters; --method varpro needs one that is (e.g. chinchilla)")
            }
            return (try await VariableProjectionFitter(law: separable, options: options).fit(runs), nil)
        }
        return try await LawFitter(law: law, options: options).fitKeepingObjective(runs)
    }

    /// Fits with progress on stderr (unless --quiet), the status line cleared afterwards.
    private func fitShowingProgress(_ law: any ScalingLaw, _ runs: [Run]) async throws -> (FitResult, BoundObjective?) {
        let display = quiet ? nil : ProgressDisplay()
        defer { display?.finish() }
        return try await fit(law, runs, progress: display?.fit(law: law.name))
    }

    /// The law with the --bound options applied (itself without any).
    private func narrowed(_ law: any ScalingLaw) throws -> any ScalingLaw {
        guard !bounds.isEmpty else { return law }
        let parsed = try bounds.map { text -> (name: String, lower: Double, upper: Double) in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let ends = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Double($0) } : []
            guard parts.count == 2, !parts[0].isEmpty, ends.count == 2, let lower = ends[0], let upper = ends[1] else {
                throw LawfitError.input("--bound must be NAME=LOW:HIGH with numbers LOW < HIGH (e.g. alpha=0.2:0.5), got '\(text)'")
            }
            return (parts[0], lower, upper)
        }
        return try BoundedLaw(law, bounds: parsed)
    }

    private func nloptAlgorithm(_ name: String) throws -> Algorithm {
        do {
            return try Algorithm(name)
        } catch {
            throw LawfitError.input("\(error)")
        }
    }

    /// The objective from --penalty, --huber-delta and --loss-space.
    private func objective(defaultSquaredLinear: Bool) throws -> ObjectiveSpec {
        let penaltyName = penalty ?? (defaultSquaredLinear && huberDelta == nil ? "squared" : "huber")
        let loss: ResidualLoss
        switch penaltyName {
        case "huber":
            let delta = huberDelta ?? 1e-3
            guard delta.isFinite, delta > 0 else { throw LawfitError.input("--huber-delta must be positive, got \(delta)") }
            loss = .huber(delta: delta)
        case "squared":
            if huberDelta != nil { throw LawfitError.input("--huber-delta applies to --penalty huber, not squared") }
            loss = .squared
        default:
            throw LawfitError.input("--penalty must be huber or squared, got '\(penaltyName)'")
        }
        let spaceName = lossSpace ?? (defaultSquaredLinear ? "linear" : "log")
        guard let space = LossSpace(rawValue: spaceName) else {
            throw LawfitError.input("--loss-space must be log or linear, got '\(spaceName)'")
        }
        let spec = ObjectiveSpec(loss: loss, space: space)
        if defaultSquaredLinear, spec != ObjectiveSpec(loss: .squared, space: .linear) {
            throw LawfitError.input("--method varpro fits squared error in linear space, not \(loss) on \(space) residuals")
        }
        return spec
    }
}
