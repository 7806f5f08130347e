import ArgumentParser
import BuiltinPlugins
import Foundation
import LawfitCore

/// `lawfit`: fit, compare and extrapolate neural scaling laws.
@main
struct Lawfit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lawfit",
        abstract: "Fit, compare and extrapolate neural scaling laws.",
        discussion: """
            Exit codes: 0 success, 1 a fit or numerical method failed, 2 bad input or usage.

            Examples:
              lawfit plugins
              lawfit fit --law chinchilla --data runs.csv --params N --tokens D
              lawfit compare --data runs.csv --law chinchilla --law kaplan --report out/
              lawfit demo
            """,
        subcommands: [
            PluginsCommand.self,
            FitCommand.self,
            CompareCommand.self,
            PredictCommand.self,
            OptimalCommand.self,
            SimulateCommand.self,
            ScheduleCommand.self,
            DemoCommand.self,
        ]
    )

    /// Every error is printed as `lawfit: error: <message>` (Docs/Errors.md): a ``LawfitError`` by
    /// ``main()``, a usage error (a bad option value, a rule of `validate()`) by swift-argument-parser
    /// with this prefix, followed by the command's usage.
    static var _errorPrefix: String { "lawfit: error: " }

    /// Parses and runs a subcommand, mapping failures to Lawfit's exit codes: a ``LawfitError``
    /// exits with its kind's code (2 input, 1 fit), usage errors with 2, anything else with 1.
    static func main() async {
        do {
            var command = try parseAsRoot(movingLeadingPluginOptions(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as LawfitError {
            FileHandle.standardError.write(Data("lawfit: error: \(error)\n".utf8))
            Foundation.exit(error.kind.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
            let isUsage = code == .validationFailure || error is ValidationError
            Foundation.exit(isUsage ? 2 : 1)
        }
    }

    /// `lawfit --plugin LIB fit ...` is accepted as well as `lawfit fit --plugin LIB ...`: leading
    /// `--plugin` options are moved behind the subcommand, where every name-resolving command reads them.
    static func movingLeadingPluginOptions(_ arguments: [String]) -> [String] {
        var rest = arguments[...]
        var plugins: [String] = []
        while let first = rest.first, first == "--plugin" || first.hasPrefix("--plugin=") {
            rest = rest.dropFirst()
            plugins.append(first)
            if first == "--plugin", let path = rest.first {
                plugins.append(path)
                rest = rest.dropFirst()
            }
        }
        return Array(rest) + plugins
    }
}
