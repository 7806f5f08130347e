#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Loads a run-time plugin (a dynamic library exporting `lawfit_register_plugin`, see ``PluginABI``)
/// and registers what it provides: `lawfit --plugin path/to/libX.so`.
///
/// The library is opened with `dlopen` and never closed (its code backs the registered factories).
/// The plugin registers into a fresh staging registry; the loader then copies each law, schedule and
/// kernel into the target registry under the origin `path` (all or nothing), so a name clash is the
/// registry's usual error. Errors thrown by a plugin's factories are rethrown as ``LawfitError`` (a plugin links its
/// own copy of LawfitCore, whose error type the host may not recognise as its own).
public enum DynamicPluginLoader {
    /// Loads the plugin at `path` into `registry`.
    /// - Returns: the names registered, as `kind:name` (e.g. `schedule:rex`).
    /// - Throws: ``LawfitError`` (input) for a missing file, a file `dlopen` rejects (with its
    ///   message), a library without `lawfit_register_plugin`, a plugin built for another
    ///   ``PluginABI/version``, a failed registration, or a name that is already registered.
    @discardableResult
    public static func load(path: String, into registry: PluginRegistry) throws -> [String] {
        try load(path: path, into: registry, hostVersion: PluginABI.version)
    }

    /// ``load(path:into:)`` with the ABI version the host claims (tests use a wrong one).
    static func load(path: String, into registry: PluginRegistry, hostVersion: Int32) throws -> [String] {
        let location = SourceLocation(file: path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw LawfitError.input("plugin file not found", at: location)
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw LawfitError.input("cannot load the plugin library: \(reason)", at: location)
        }
        guard let symbol = dlsym(handle, PluginABI.entryPointSymbol) else {
            dlclose(handle)  // nothing of the library is in use yet
            throw LawfitError.input("not a Lawfit plugin: the library exports no '\(PluginABI.entryPointSymbol)' function (see Docs/WritingPlugins.md)", at: location)
        }
        let entry = unsafeBitCast(symbol, to: PluginABI.EntryPoint.self)
        let staging = PluginRegistry()
        let capacity = 1024
        var message = [CChar](repeating: 0, count: capacity)
        let status = withExtendedLifetime(staging) {
            entry(Unmanaged.passUnretained(staging).toOpaque(), hostVersion, &message, capacity)
        }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch PluginABI.Status(rawValue: status) {
        case .ok: break
        case .versionMismatch:
            throw LawfitError.input("plugin ABI version mismatch: \(text), this Lawfit uses version \(hostVersion); rebuild the plugin against this Lawfit", at: location)
        case .registrationFailed, .badArguments:
            throw LawfitError.input("the plugin failed to register: \(text)", at: location)
        case nil:
            throw LawfitError.input("the plugin returned unknown status \(status)", at: location)
        }
        return try merge(staging, into: registry, origin: path)
    }

    /// Copies everything from `staging` into `registry`, all or nothing: a clash is found (and
    /// reported by the registry) before anything is registered.
    private static func merge(_ staging: PluginRegistry, into registry: PluginRegistry, origin: String) throws -> [String] {
        if let law = staging.laws.first(where: { (try? registry.law(named: $0.name)) != nil }) {
            try registry.register(law: law, origin: origin)
        }
        if let factory = staging.schedules.first(where: { (try? registry.schedule(named: $0.name)) != nil }) {
            try registry.register(schedule: factory, origin: origin)
        }
        if let factory = staging.kernels.first(where: { (try? registry.kernel(named: $0.name)) != nil }) {
            try registry.register(kernel: factory, origin: origin)
        }
        var names: [String] = []
        for law in staging.laws {
            try registry.register(law: law, origin: origin)
            names.append("law:\(law.name)")
        }
        for var factory in staging.schedules {
            let (make, owner) = (factory.make, factory.name)
            factory.make = { arguments in try hostError(owner) { try make(arguments) } }
            try registry.register(schedule: factory, origin: origin)
            names.append("schedule:\(owner)")
        }
        for var factory in staging.kernels {
            let (make, owner) = (factory.make, factory.name)
            factory.make = { arguments in try hostError(owner) { try make(arguments) } }
            try registry.register(kernel: factory, origin: origin)
            names.append("kernel:\(owner)")
        }
        return names
    }

    /// Runs `body`, turning an error of a type the host does not know into a ``LawfitError``.
    private static func hostError<T>(_ owner: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LawfitError { throw error } catch {
            throw LawfitError.input("\(error)")
        }
    }
}
