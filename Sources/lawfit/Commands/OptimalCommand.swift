import ArgumentParser
import Foundation
import LawfitCore

/// `lawfit optimal`: how best to spend a budget according to a fitted law.
///
/// Compute-optimal mode (`--compute`): the N*, D* minimising a ``ComputeOptimalLaw``'s loss under
/// C = 6 N D, and L* there. Schedule mode (`--family`): the schedule of a family (wsd, cosine, or a
/// free-form monotone one) with the lowest predicted final loss for a step budget and peak rate.
struct OptimalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimal", abstract: "Compute-optimal model size and data, or the best schedule, for a budget.",
        discussion: """
            With --compute: N*, D* and L* under C = 6ND for a law of N and D (chinchilla, kaplan,
            sparse-feature, dmft ...). From a compare report.json made with --bootstrap, each answer
            gets 95 % percentile intervals over the bootstrap fits (parameter values given in the law
            spec hold in every draw too). A budget beyond the largest compute
            in the fitted data is an extrapolation: a warning on stderr says by how much.
            With --family: the best schedule of the family (wsd, cosine, free) for a loss-curve law,
            printed as a spec string with its predicted final loss (see Docs/ScheduleOptimization.md).
            The parameters come from --params-file, from the law spec (--law 'NAME(PARAMETER=VALUE, ...)',
            which overrides the file's values), or both; settings of a law go in the same spec.

            Examples:
              lawfit fit --law chinchilla --data runs.csv --format json --output fit.json
              lawfit optimal --law chinchilla --params-file fit.json --compute 1e22
              lawfit optimal --params-file fit.json --compute 1e21 --compute 1e23 --format json
              lawfit optimal --params-file out/report.json --law chinchilla --compute 1e22
              lawfit optimal --law fsl --params-file fsl.json --family wsd --total 24000 --peak 3e-4 --warmup 2160
              lawfit optimal --law 'fsl-theory(batch=4, capacity=1.5, source=0.5, amplitude=1, noise=0.1, lrScale=1)' --compute 1e6
            """)

    @Option(help: "The law spec, with settings and parameter values: 'fsl-theory(batch=4, capacity=1.5)' (default: the parameters file's law; picks one law of a compare report).")
    var law: String?
    @Option(name: .customLong("params-file"), help: "A `lawfit fit --format json` result, or a `lawfit compare` report.json (with --law); optional when --law gives every parameter.")
    var parametersFile: String?
    @Option(help: ArgumentHelp("Compute budget C in FLOP; repeatable.", valueName: "C")) var compute: [Double] = []
    @Option(help: "Schedule family to optimise.") var family: ScheduleFamily?
    @Option(help: "With --family: the step budget (the schedule's last step).") var total: Int?
    @Option(help: "With --family: the peak learning rate.") var peak: Double?
    @Option(help: "With --family: steps of linear warmup from 0.") var warmup = 0
    @Option(help: "The answer as readable text or JSON.") var format: OutputFormat = .text
    @Flag(help: "No progress display on stderr.") var quiet = false
    @OptionGroup var plugins: PluginOptions

    /// The two modes' rules: `--family` with `--total` and `--peak` (and no `--compute`), else
    /// positive `--compute` budgets.
    func validate() throws {
        if family != nil {
            guard compute.isEmpty else { throw ValidationError("give either --compute or --family, not both") }
            guard let total, let peak else { throw ValidationError("--family needs --total STEPS and --peak RATE") }
            try OptionChecks.within(total, 1...ScheduleSpec.maximumSteps, "--total")
            try OptionChecks.positive(peak, "--peak")
            try OptionChecks.within(warmup, 0...total, "--warmup")
        } else {
            guard !compute.isEmpty else { throw ValidationError("give a compute budget with --compute C (FLOP)") }
            for budget in compute { try OptionChecks.positive(budget, "--compute") }
        }
    }

    func run() async throws {
        let registry = try plugins.makeRegistry()
        if let family, let total, let peak {
            try runScheduleOptimal(family, total: total, peak: peak, registry: registry)
        } else {
            try runComputeOptimal(registry: registry)
        }
    }

    /// The best schedule of `--family` for the budget, by the fitted loss-curve law.
    private func runScheduleOptimal(_ family: ScheduleFamily, total: Int, peak: Double, registry: PluginRegistry) throws {
        let fitted = try resolve(registry: registry)
        let scheduleLaw = fitted.law, name = scheduleLaw.name
        let extra = scheduleLaw.requiredInputs.subtracting([.step, .schedule])
        guard extra.isEmpty else {
            throw LawfitError.input(
                "--family: law '\(name)' needs \(extra.map(\.rawValue).sorted().joined(separator: ", ")) of each run besides step and schedule, and a schedule search "
                    + "has only a step budget and a peak rate; search with a law of step and schedule alone (for fsl-theory-scaling: fsl-theory at the model's "
                    + "mode count, Docs/laws/fsl.md)")
        }
        let display = ProgressDisplay()
        let optimum = try ScheduleOptimizer.optimize(
            law: scheduleLaw, parameters: fitted.values,
            family: family, totalSteps: total, peak: peak, warmup: warmup, registry: registry,
            progress: quiet ? nil : display.fit(law: name, detail: "\(family.rawValue) schedules", stage: .search))
        display.finish()
        if format == .json {
            let report = ScheduleReport(law: name, schedule: optimum.spec, predictedFinalLoss: optimum.predictedFinalLoss, evaluations: optimum.evaluations)
            print(String(decoding: try StableJSON.encode(report), as: UTF8.self), terminator: "")
        } else {
            print("schedule: \(optimum.spec)")
            print("predicted final loss: \(optimum.predictedFinalLoss) (\(optimum.evaluations) evaluations)")
        }
    }

    /// The JSON report of schedule mode.
    struct ScheduleReport: Encodable {
        var law: String
        var schedule: String
        var predictedFinalLoss: Double
        var evaluations: Int
    }

    /// The compute-optimal allocation for each `--compute` budget, with percentile intervals over the
    /// bootstrap draws when the file has them, and a warning for budgets beyond the data's largest compute.
    private func runComputeOptimal(registry: PluginRegistry) throws {
        let fitted = try resolve(registry: registry)
        let name = fitted.law.name
        guard let computeLaw = fitted.law.computeOptimal else {
            let frontierLaws = registry.laws.filter { $0.computeOptimal != nil }.map(\.name).joined(separator: ", ")
            throw LawfitError.input("law '\(name)' has no compute-optimal allocation (it is not a law of N and D under C = 6ND); laws with one: \(frontierLaws)")
        }
        let values = fitted.values
        // The spec's values override each bootstrap draw's as they override the file's estimate: those
        // parameters are held at the given values and only the others vary over the draws.
        let draws = try (fitted.stored?.bootstrapSamples ?? []).map {
            try computeLaw.parameterSpace.values(from: $0.merging(fitted.given) { _, given in given })
        }
        var optima: [Report.Optimum] = []
        for budget in compute {
            let optimum = try computeLaw.computeOptimum(parameters: values, compute: budget)
            var entry = Report.Optimum(C: budget, N: optimum.parameters, D: optimum.tokens, L: optimum.loss)
            if let largest = fitted.stored?.largestCompute, largest > 0, budget > largest {
                entry.beyondData = budget / largest
                FileHandle.standardError.write(Data((
                    "warning: the budget C = \(format(budget)) FLOP is \(String(format: "%.3g", budget / largest)) times the largest compute in the data "
                    + "(\(format(largest)) FLOP, \(String(format: "%.2g", log10(budget / largest))) decades beyond it): the allocation is an extrapolation\n").utf8))
            }
            if !draws.isEmpty {
                let resampled = draws.compactMap { try? computeLaw.computeOptimum(parameters: $0, compute: budget) }
                    .filter { $0.parameters.isFinite && $0.tokens.isFinite && $0.loss.isFinite }
                if resampled.count >= 2 {
                    entry.intervals = Report.Intervals(
                        N: Quantile.percentileInterval(resampled.map(\.parameters), estimate: entry.N, confidence: 0.95),
                        D: Quantile.percentileInterval(resampled.map(\.tokens), estimate: entry.D, confidence: 0.95),
                        L: Quantile.percentileInterval(resampled.map(\.loss), estimate: entry.L, confidence: 0.95),
                        draws: resampled.count, failed: draws.count - resampled.count)
                }
            }
            optima.append(entry)
        }
        if format == .json {
            print(String(decoding: try StableJSON.encode(Report(law: name, optima: optima)), as: UTF8.self), terminator: "")
            return
        }
        for optimum in optima {
            print("C = \(format(optimum.C)) FLOP: N* = \(format(optimum.N)) parameters, D* = \(format(optimum.D)) tokens, "
                + "L* = \(String(format: "%.6f", optimum.L)) (D*/N* = \(String(format: "%.2f", optimum.D / optimum.N)))")
            if let i = optimum.intervals {
                print("    95 % bootstrap intervals (\(i.draws) draws\(i.failed > 0 ? ", \(i.failed) without an optimum" : "")): "
                    + "N* in [\(format(i.N.lower)), \(format(i.N.upper))], D* in [\(format(i.D.lower)), \(format(i.D.upper))], "
                    + "L* in [\(String(format: "%.6f", i.L.lower)), \(String(format: "%.6f", i.L.upper))]")
            }
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// The law and its parameter values: from `--law` (a spec whose settings configure the law and
    /// whose parameter values override the file's) and `--params-file`, at least one of them.
    /// `given` holds the spec's values (which also override each bootstrap draw of the file).
    private func resolve(registry: PluginRegistry) throws -> (law: any ScalingLaw, values: [Double], stored: StoredFit?, given: [String: Double]) {
        let spec = try law.map { try registry.lawSpec($0) }
        guard spec != nil || parametersFile != nil else {
            throw LawfitError.input("give the parameters with --params-file FILE or as a law spec: --law 'NAME(PARAMETER=VALUE, ...)'")
        }
        let stored = try parametersFile.map { try FitResultFile.read($0, law: spec?.law.name) }
        let chosen = try spec?.law ?? registry.law(named: stored!.law)
        let names = chosen.parameterSpace.parameters.map(\.name)
        let merged = (stored?.parameters ?? [:]).merging(spec?.values ?? [:]) { _, given in given }
        let missing = names.filter { merged[$0] == nil }
        guard missing.isEmpty else {
            throw LawfitError.input("law '\(chosen.name)' needs the parameters \(names.joined(separator: ", ")); missing \(missing.joined(separator: ", ")): "
                + "give them in the law spec (--law '\(chosen.name.split(separator: "(").first ?? "")(\(missing[0])=VALUE, ...)') or with --params-file")
        }
        return (chosen, try chosen.parameterSpace.values(from: merged), stored, spec?.values ?? [:])
    }

    /// The JSON report: the law and one optimum per budget.
    struct Report: Encodable {
        /// Percentile intervals of N*, D*, L* over the bootstrap draws.
        struct Intervals: Encodable {
            var N: Interval
            var D: Interval
            var L: Interval
            var draws: Int
            var failed: Int
        }
        struct Optimum: Encodable {
            var C: Double
            var N: Double
            var D: Double
            var L: Double
            var intervals: Intervals?
            /// C over the largest compute in the data, when the budget exceeds it.
            var beyondData: Double?

            enum CodingKeys: String, CodingKey {
                case C, N, D, L, intervals, beyondData = "beyond_data"
            }
        }
        var law: String
        var optima: [Optimum]
    }
}
