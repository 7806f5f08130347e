import ArgumentParser
import LawfitCore
import LawfitPluginTesting

/// `lawfit plugins`: what is registered; `lawfit plugins --check LIB`: a plugin's conformance checks.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the registered laws, schedules and kernels with their parameters, or check a plugin.",
        discussion: """
            --check LIB loads the plugin library LIB (besides the built-ins) and exercises every law, \
            schedule and kernel it registers (Docs/WritingPlugins.md lists the checks); it prints one \
            line per check and exits 1 if one fails, 2 if the plugin cannot be loaded.

            Examples:
              lawfit plugins
              lawfit plugins --plugin .build/debug/libRexSchedulePlugin.so
              lawfit plugins --check .build/debug/libRexSchedulePlugin.so
            """
    )

    @OptionGroup var plugins: PluginOptions

    @Option(name: .customLong("check"), help: "A plugin library to load and check.")
    var checkPath: String?

    func run() async throws {
        let registry = try plugins.makeRegistry()
        if let checkPath {
            try check(checkPath, registry: registry)
            return
        }
        print("Laws:")
        for law in registry.laws {
            let inputs = law.requiredInputs.sorted().map(\.rawValue).joined(separator: ", ")
            print("  \(law.name)  [\(registry.origin(of: law.name, kind: "law") ?? "?")]")
            print("      \(law.summary)")
            print("      inputs: \(inputs)")
            if let configurable = law as? any ConfigurableLaw {
                let settings = configurable.configurationParameters.map { "\($0.name)=\($0.defaultValue?.description ?? "?")" }
                print("      settings: \(law.name)(\(settings.joined(separator: ", ")))")
                for p in configurable.configurationParameters { print("        \(p.name): \(p.summary)") }
            }
            for p in law.parameterSpace.parameters {
                print("      \(p.name): \(p.summary) in [\(p.lowerBound), \(p.upperBound)]\(p.transform == .log ? ", fitted in log" : "")")
            }
        }
        print("Schedules:")
        for factory in registry.schedules {
            print("  \(factory.name)(\(factory.parameters.map(\.name).joined(separator: ", ")))  [\(registry.origin(of: factory.name, kind: "schedule") ?? "?")]")
            print("      \(factory.summary)")
            if let example = factory.example { print("      e.g. \(example)") }
        }
        print("Kernels:")
        for factory in registry.kernels {
            print("  \(factory.name)(\(factory.parameters.map(\.name).joined(separator: ", ")))  [\(registry.origin(of: factory.name, kind: "kernel") ?? "?")]")
            print("      \(factory.summary)")
            if let example = factory.example { print("      e.g. \(example)") }
        }
    }

    private func check(_ path: String, registry: PluginRegistry) throws {
        let plugin = try PluginOptions.load(path, into: registry)
        print("loaded \(plugin.path): \(plugin.names.joined(separator: ", ")) (ABI fingerprint \(PluginABI.fingerprint))")
        let checks = PluginConformance.check(registry, origin: plugin.path)
        for check in checks { print(check) }
        let failed = checks.filter { !$0.passed }.count
        print("\(checks.count) checks, \(failed) failed")
        if plugin.names.isEmpty { throw LawfitError.fit("the plugin registered nothing") }
        if failed > 0 { throw LawfitError.fit("\(failed) of \(checks.count) checks failed") }
    }
}
