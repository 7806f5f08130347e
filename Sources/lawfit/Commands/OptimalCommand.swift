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
            With --compute: N*, D* and L* under C = 6ND for a law of N and D.
            With --family: the best schedule of the family (wsd, cosine, free) for a loss-curve law,
            printed as a spec string with its predicted final loss (see Docs/ScheduleOptimization.md).

            Examples:
              lawfit fit --law chinchilla --data runs.csv --format json --output fit.json
              lawfit optimal --law chinchilla --params-file fit.json --compute 1e22
              lawfit optimal --params-file fit.json --compute 1e21 --compute 1e23 --format json
              lawfit optimal --law fsl --params-file fsl.json --family wsd --total 24000 --peak 3e-4 --warmup 2160
            """)

    @Option(help: "The law (default: the one named in the parameters file).") var law: String?
    @Option(name: .customLong("params-file"), help: "A `lawfit fit --format json` result holding the law's parameters.")
    var parametersFile: String
    @Option(help: ArgumentHelp("Compute budget C in FLOP; repeatable.", valueName: "C")) var compute: [Double] = []
    @Option(help: "Schedule family to optimise: wsd, cosine or free.") var family: String?
    @Option(help: "With --family: the step budget (the schedule's last step).") var total: Int?
    @Option(help: "With --family: the peak learning rate.") var peak: Double?
    @Option(help: "With --family: steps of linear warmup from 0.") var warmup = 0
    @Option(help: "text or json.") var format = "text"
    @Flag(help: "No progress display on stderr.") var quiet = false
    @OptionGroup var plugins: PluginOptions

    func run() async throws {
        guard format == "json" || format == "text" else { throw LawfitError.input("--format must be json or text, got '\(format)'") }
        let registry = try plugins.makeRegistry()
        if family != nil {
            guard compute.isEmpty else { throw LawfitError.input("give either --compute or --family, not both") }
            try runScheduleOptimal(registry: registry)
        } else {
            try runComputeOptimal(registry: registry)
        }
    }

    /// The best schedule of `--family` for the budget, by the fitted loss-curve law.
    private func runScheduleOptimal(registry: PluginRegistry) throws {
        guard let total, let peak else { throw LawfitError.input("--family needs --total STEPS and --peak RATE") }
        _ = try OptionChecks.within(total, 1...ScheduleSpec.maximumSteps, "--total")
        _ = try OptionChecks.positive(peak, "--peak")
        _ = try OptionChecks.within(warmup, 0...total, "--warmup")
        let fitted = try FitResultFile.read(parametersFile, law: law)
        let name = fitted.law
        let scheduleLaw = try registry.law(named: name)
        let display = ProgressDisplay()
        let optimum = try ScheduleOptimizer.optimize(
            law: scheduleLaw, parameters: try scheduleLaw.parameterSpace.values(from: fitted.parameters),
            family: try ScheduleFamily.named(family ?? ""), totalSteps: total, peak: peak, warmup: warmup, registry: registry,
            progress: quiet ? nil : display.fit(law: name, detail: "\(family ?? "") schedule search"))
        display.finish()
        if format == "json" {
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

    /// The closed-form compute-optimal allocation for each `--compute` budget.
    private func runComputeOptimal(registry: PluginRegistry) throws {
        guard !compute.isEmpty else { throw LawfitError.input("give a compute budget with --compute C (FLOP)") }
        for budget in compute { _ = try OptionChecks.positive(budget, "--compute") }
        let fitted = try FitResultFile.read(parametersFile, law: law)
        let name = fitted.law
        guard let computeLaw = try registry.law(named: name) as? any ComputeOptimalLaw else {
            throw LawfitError.input("law '\(name)' has no compute-optimal allocation (it is not a law of N and D under C = 6ND)")
        }
        let values = try computeLaw.parameterSpace.values(from: fitted.parameters)
        let optima = try compute.map { try computeLaw.computeOptimum(parameters: values, compute: $0) }
        if format == "json" {
            let report = Report(law: name, optima: optima.map { Report.Optimum(C: $0.compute, N: $0.parameters, D: $0.tokens, L: $0.loss) })
            print(String(decoding: try StableJSON.encode(report), as: UTF8.self), terminator: "")
        } else {
            for optimum in optima {
                print("C = \(format(optimum.compute)) FLOP: N* = \(format(optimum.parameters)) parameters, D* = \(format(optimum.tokens)) tokens, "
                    + "L* = \(String(format: "%.6f", optimum.loss)) (D*/N* = \(String(format: "%.2f", optimum.tokens / optimum.parameters)))")
            }
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// The JSON report: the law and one optimum per budget.
    struct Report: Encodable {
        struct Optimum: Encodable {
            var C: Double
            var N: Double
            var D: Double
            var L: Double
        }
        var law: String
        var optima: [Optimum]
    }
}
