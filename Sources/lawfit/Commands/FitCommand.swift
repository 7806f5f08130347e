import ArgumentParser
import Foundation
import LawfitCore
import Optimization

/// `lawfit fit`: fits any registered law to training logs and reports the best parameters.
struct FitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Fit a law to training logs.",
        discussion: """
            The objective is a SUM over points of Huber(delta) (--objective huber:DELTA, default huber:1e-3)
            or squared residuals (--objective squared), in log space (log Lhat - log L, the default) or
            linear space (--space). Starts: the law's default grid or N low-discrepancy points. --method auto (the default) runs Levenberg-Marquardt on the law's Jacobian
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
              lawfit fit --law kaplan --data runs.csv --objective squared --space linear
              lawfit fit --law chinchilla --data runs.csv --bound alpha=0.2:0.5 --bound E=1.5:inf
              lawfit fit --law multi-power --data cosine.csv --data constant.csv \\
                  --schedule 'cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)' \\
                  --schedule 'constant(peak=3e-4, warmup=2160, total=24000)'
            """)

    @Option(help: "The law to fit (see `lawfit plugins`).") var law: String
    @OptionGroup(title: "Data") var data: DataOptions

    @OptionGroup(title: "Objective") var objectiveOptions: ObjectiveOptions
    @Option(help: "auto (the default), lm (Levenberg-Marquardt), lbfgs, varpro, or any NLopt algorithm name (LD_LBFGS, LN_BOBYQA, GN_CRS2_LM, ...).")
    var method: FitMethod = .auto
    @Option(help: "A local NLopt algorithm to polish the result of a global one.")
    var polish: String?
    @Option(name: .customLong("bound"), help: "NAME=LOW:HIGH narrows a parameter's bounds (natural units; repeatable).")
    var bounds: [String] = []
    @OptionGroup(title: "Starts") var start: StartOptions

    @OptionGroup(title: "Schedules") var schedules: ScheduleOptions

    @Option(help: "Write the result to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "The result as readable text or JSON.") var format: OutputFormat = .text
    @Flag(name: .customLong("no-timing"), help: "Leave out the fit's seconds, so the same command gives byte-identical output.")
    var noTiming = false
    @Flag(help: "No progress display on stderr.") var quiet = false
    @OptionGroup var plugins: PluginOptions

    /// The rules between options: an NLopt `--method` or `--polish` must name an algorithm, and
    /// `--method varpro` fits squared error in linear space without `--bound`.
    func validate() throws {
        if case .nlopt(let name) = method { _ = try Self.algorithm(name) }
        if let polish { _ = try Self.algorithm(polish) }
        if method == .variableProjection {
            guard bounds.isEmpty else {
                throw ValidationError("--bound applies to the NLopt methods; --method varpro keeps E, A, B >= 0 and the exponents free")
            }
            let spec = objectiveSpec
            if spec != ObjectiveSpec(loss: .squared, space: .linear) {
                throw ValidationError("--method varpro fits squared error in linear space, not \(spec.loss) on \(spec.space) residuals")
            }
        }
    }

    func run() async throws {
        if let output { try AtomicFile.checkDestination(output, inputs: data.files) }
        let registry = try plugins.makeRegistry()
        let law = try narrowed(try registry.law(named: law))
        let runs = try schedules.readRuns(data, needing: law.requiredInputs, registry: registry)
        try law.validate(runs)
        try data.requirePoints(runs, atLeast: law.parameterSpace(adaptedTo: runs).count, for: law.name)
        let (result, objective) = try await fitShowingProgress(law, runs)
        // The fitter found the every-bound rule (a warning in a compare report); here it fails the fit.
        if let contacts = result.everyBoundContacts {
            throw LawfitError.fit(FitResult.everyBoundMessage(law: law.name, contacts))
        }
        let text: String
        if format == .json {
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
        let algorithm: Algorithm? = switch method {
        case .auto, .levenbergMarquardt: polish == nil ? nil : try Self.algorithm("LD_LBFGS")
        case .lbfgs, .variableProjection: try Self.algorithm("LD_LBFGS")
        case .nlopt(let name): try Self.algorithm(name)
        }
        var options = FitOptions(
            objective: objectiveSpec, algorithm: algorithm, polish: try polish.map(Self.algorithm),
            starts: start.starts, seed: start.seed, workers: start.workers, progress: progress)
        if method == .levenbergMarquardt, polish == nil { options.localMethod = .levenbergMarquardt }
        if method == .variableProjection {
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

    /// The NLopt algorithm named `name`. - Throws: `ValidationError` with NLopt's message.
    private static func algorithm(_ name: String) throws -> Algorithm {
        do {
            return try Algorithm(name)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The objective of `--objective` and `--space` (or their deprecated spellings); variable
    /// projection defaults to squared error in linear space.
    var objectiveSpec: ObjectiveSpec {
        objectiveOptions.spec(squaredLinearByDefault: method == .variableProjection)
    }
}
