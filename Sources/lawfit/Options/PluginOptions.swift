import ArgumentParser
import BuiltinPlugins
import Foundation
import LawfitCore

/// `--plugin LIB`: dynamic libraries to load into the registry, on every command that resolves names.
struct PluginOptions: ParsableArguments {
    @Option(
        name: .customLong("plugin"),
        help: "A plugin library (.so) to load; repeatable. A bare file name is looked up in the current folder, then in LAWFIT_PLUGIN_PATH.")
    var paths: [String] = []

    /// The built-in registry plus every `--plugin` library (warnings go to standard error).
    func makeRegistry() throws -> PluginRegistry {
        let registry = try BuiltinPlugins.makeRegistry()
        for path in paths { try Self.load(path, into: registry) }
        return registry
    }

    /// Loads one plugin, printing its warnings to standard error.
    @discardableResult
    static func load(_ path: String, into registry: PluginRegistry) throws -> DynamicPluginLoader.LoadedPlugin {
        let plugin = try DynamicPluginLoader.load(path, into: registry)
        for warning in plugin.warnings { FileHandle.standardError.write(Data("lawfit: warning: \(warning)\n".utf8)) }
        return plugin
    }
}
