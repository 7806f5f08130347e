import ArgumentParser
import LawfitCore

/// `lawfit plugins`: what is registered.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the registered laws, schedules and kernels with their parameters.",
        discussion: """
            Examples:
              lawfit plugins
              lawfit plugins --plugin .build/debug/libRexSchedulePlugin.so
            """
    )

    @OptionGroup var plugins: PluginOptions

    func run() async throws {
        let registry = try plugins.makeRegistry()
        print("Laws:")
        for law in registry.laws {
            let inputs = law.requiredInputs.sorted().map(\.rawValue).joined(separator: ", ")
            print("  \(law.name)  [\(registry.origin(of: law.name, kind: "law") ?? "?")]")
            print("      \(law.summary)")
            print("      inputs: \(inputs)")
            for p in law.parameterSpace.parameters {
                print("      \(p.name): \(p.summary) in [\(p.lowerBound), \(p.upperBound)]\(p.transform == .log ? ", fitted in log" : "")")
            }
        }
        print("Schedules:")
        for factory in registry.schedules {
            print("  \(factory.name)(\(factory.parameters.map(\.name).joined(separator: ", ")))  [\(registry.origin(of: factory.name, kind: "schedule") ?? "?")]")
            print("      \(factory.summary)")
        }
        print("Kernels:")
        for factory in registry.kernels {
            print("  \(factory.name)(\(factory.parameters.map(\.name).joined(separator: ", ")))  [\(registry.origin(of: factory.name, kind: "kernel") ?? "?")]")
            print("      \(factory.summary)")
        }
    }
}
