import ArgumentParser
import Foundation
import LawfitCore

/// `lawfit optimal`: how best to spend a budget according to a fitted law.
///
/// Compute-optimal mode (`--compute`): the N*, D* minimising a ``ComputeOptimalLaw``'s loss under
/// C = 6 N D, and L* there. (A schedule mode, the best schedule of a family for a budget, is a
/// separate mode of this command.)
struct OptimalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimal", abstract: "Compute-optimal model size and data for a budget, from a fitted law.",
        discussion: """
            Examples:
              lawfit fit --law chinchilla --data runs.csv --format json --output fit.json
              lawfit optimal --law chinchilla --params-file fit.json --compute 1e22
              lawfit optimal --params-file fit.json --compute 1e21 --compute 1e23 --format json
            """)

    @Option(help: "The law (default: the one named in the parameters file).") var law: String?
    @Option(name: .customLong("params-file"), help: "A `lawfit fit --format json` result holding the law's parameters.")
    var parametersFile: String
    @Option(help: ArgumentHelp("Compute budget C in FLOP; repeatable.", valueName: "C")) var compute: [Double] = []
    @Option(help: "text or json.") var format = "text"
    @OptionGroup var plugins: PluginOptions

    func run() async throws {
        guard format == "json" || format == "text" else { throw LawfitError.input("--format must be json or text, got '\(format)'") }
        let registry = try plugins.makeRegistry()
        try runComputeOptimal(registry: registry)
    }

    /// The closed-form compute-optimal allocation for each `--compute` budget.
    private func runComputeOptimal(registry: PluginRegistry) throws {
        guard !compute.isEmpty else { throw LawfitError.input("give a compute budget with --compute C (FLOP)") }
        let fitted = try readFit()
        let name = law ?? fitted.law
        if fitted.law != name {
            throw LawfitError.input("the file holds a fit of '\(fitted.law)', not '\(name)'", at: SourceLocation(file: parametersFile))
        }
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

    private func readFit() throws -> FitResult {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: parametersFile))
        } catch {
            throw LawfitError.input("cannot read the parameters file: \(error.localizedDescription)", at: SourceLocation(file: parametersFile))
        }
        do {
            return try JSONDecoder().decode(FitResult.self, from: data)
        } catch {
            throw LawfitError.input(
                "not a `lawfit fit --format json` result (it needs 'law' and 'parameters'): \(error)", at: SourceLocation(file: parametersFile))
        }
    }

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
