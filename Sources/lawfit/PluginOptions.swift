import ArgumentParser
import BuiltinPlugins
import LawfitCore

/// `--plugin PATH`: dynamic libraries to load into the registry, on every command that resolves names.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: "A plugin library (.so) to load; repeatable.")
    var paths: [String] = []

    /// The built-in registry plus every `--plugin` library.
    func makeRegistry() throws -> PluginRegistry {
        let registry = try BuiltinPlugins.makeRegistry()
        for path in paths { try DynamicPluginLoader.load(path: path, into: registry) }
        return registry
    }
}
