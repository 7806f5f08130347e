#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Loads a run-time plugin (a dynamic library exporting the functions of ``PluginABI``) and
/// registers what it provides: `lawfit --plugin libX.so`.
///
/// In order, each step refusing with a ``LawfitError`` (input) before the next runs:
/// 1. ``PluginFile/resolve(_:currentFolder:searchPath:)`` finds the file (never through the system
///    library path) and requires a regular file;
/// 2. on ELF systems the file's dynamic symbol table is read without loading it: both functions
///    must be exported as functions (a data symbol of that name would be called and crash);
/// 3. `dlopen` of the absolute path (`RTLD_NOW | RTLD_LOCAL`; never closed, as the Swift runtime keeps
///    pointers into every loaded image);
/// 4. the plugin's ``PluginABI/fingerprint`` (a literal compiled into it) must equal the host's;
/// 5. `lawfit_register_plugin` registers into a fresh staging registry, whose entries are then copied
///    into `registry` under the plugin's path as origin, all or nothing. Factories are wrapped so that
///    errors thrown by the plugin (its own copy of ``LawfitError``, a foreign type to the host) come
///    back as the host's ``LawfitError``.
public enum DynamicPluginLoader {
    /// What a load registered.
    public struct LoadedPlugin: Sendable, Equatable {
        /// The canonical absolute path of the library, the origin of its entries.
        public var path: String
        /// The names registered, as `kind:name` (e.g. `schedule:rex`).
        public var names: [String]
        /// Warnings for the user (a plugin file or folder writable by others).
        public var warnings: [String]
    }

    /// Loads the plugin `name` (a path, or a bare file name looked up as ``PluginFile`` says) into `registry`.
    @discardableResult
    public static func load(
        _ name: String, into registry: PluginRegistry, currentFolder: String = FileManager.default.currentDirectoryPath,
        searchPath: String? = ProcessInfo.processInfo.environment[PluginFile.searchPathVariable]
    ) throws -> LoadedPlugin {
        let file = try PluginFile.resolve(name, currentFolder: currentFolder, searchPath: searchPath)
        // Errors name the file as typed, or where a bare name was found.
        let location = SourceLocation(file: name.contains("/") ? name : file.path)
        let names = try load(file.path, at: location, into: registry, hostFingerprint: PluginABI.fingerprint)
        return LoadedPlugin(path: file.path, names: names, warnings: file.warnings)
    }

    /// Steps 2-5 for a resolved `path`, with the fingerprint the host claims (tests use a wrong one);
    /// errors are reported at `location`.
    static func load(_ path: String, at location: SourceLocation, into registry: PluginRegistry, hostFingerprint: String) throws -> [String] {
        #if os(Linux)
        try checkExports(of: path, at: location)
        #endif
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw LawfitError.input("cannot load the plugin library: \(reason)", at: location)
        }
        guard let fingerprintSymbol = dlsym(handle, PluginABI.fingerprintSymbol) else {
            throw LawfitError.input(dlsym(handle, PluginABI.entryPointSymbol) == nil ? notAPlugin : noFingerprint, at: location)
        }
        let fingerprintFunction = unsafeBitCast(fingerprintSymbol, to: PluginABI.FingerprintFunction.self)
        var buffer = [CChar](repeating: 0, count: 128)
        let length = fingerprintFunction(&buffer, buffer.count)
        let pluginFingerprint = (0..<buffer.count).contains(length)
            ? String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "(a fingerprint of length \(length))"
        guard pluginFingerprint == hostFingerprint else {
            throw LawfitError.input(
                "plugin ABI mismatch: the plugin was built against LawfitCore \(pluginFingerprint), this lawfit is LawfitCore \(hostFingerprint); "
                    + "rebuild the plugin against this Lawfit's sources with the same compiler (swift build in the plugin's package), or use the lawfit it was built with",
                at: location)
        }
        guard let entrySymbol = dlsym(handle, PluginABI.entryPointSymbol) else { throw LawfitError.input(notAPlugin, at: location) }
        let entry = unsafeBitCast(entrySymbol, to: PluginABI.EntryPoint.self)
        let staging = PluginRegistry()
        var message = [CChar](repeating: 0, count: 1024)
        let status = withExtendedLifetime(staging) {
            entry(Unmanaged.passUnretained(staging).toOpaque(), &message, message.count)
        }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch PluginABI.Status(rawValue: status) {
        case .ok: break
        case .registrationFailed, .badArguments:
            throw LawfitError.input("the plugin failed to register: \(text)", at: location)
        case nil:
            throw LawfitError.input("the plugin returned unknown status \(status)", at: location)
        }
        return try merge(staging, into: registry, origin: path)
    }

    private static let notAPlugin = "not a Lawfit plugin: the library exports no '\(PluginABI.entryPointSymbol)' function (see Docs/WritingPlugins.md)"
    private static let noFingerprint = "the plugin exports no '\(PluginABI.fingerprintSymbol)' function: it was built for an older Lawfit, or its entry point file lacks it; rebuild it from the template in Docs/WritingPlugins.md"

    #if os(Linux)
    /// Step 2: both functions exported as functions, read from the file before it is loaded.
    private static func checkExports(of path: String, at location: SourceLocation) throws {
        let exports = try ELFSymbolTable(path: path, location: location).symbols
        for symbol in [PluginABI.entryPointSymbol, PluginABI.fingerprintSymbol] {
            switch exports[symbol] {
            case .function?: continue
            case nil: throw LawfitError.input(symbol == PluginABI.entryPointSymbol ? notAPlugin : noFingerprint, at: location)
            case .data?: throw LawfitError.input("not a Lawfit plugin: the library exports '\(symbol)' as data, not as a function", at: location)
            case .other?: throw LawfitError.input("not a Lawfit plugin: the library's '\(symbol)' symbol is not a function", at: location)
            }
        }
    }
    #endif

    /// Copies everything from `staging` into `registry`, all or nothing: a clash is found (and
    /// reported by the registry, naming both origins) before anything is registered.
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
            let make = factory.make
            factory.make = { arguments in try hostError { try make(arguments) } }
            try registry.register(schedule: factory, origin: origin)
            names.append("schedule:\(factory.name)")
        }
        for var factory in staging.kernels {
            let make = factory.make
            factory.make = { arguments in try hostError { try make(arguments) } }
            try registry.register(kernel: factory, origin: origin)
            names.append("kernel:\(factory.name)")
        }
        return names
    }

    /// Runs `body`, turning an error of a type the host does not know into a ``LawfitError``.
    private static func hostError<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LawfitError { throw error } catch {
            throw LawfitError.input("\(error)")
        }
    }
}
