/// The C-level contract between Lawfit and a run-time plugin (a dynamic library).
///
/// A plugin exports two C functions (the template is `Plugins/Examples/RexSchedule/Entry/EntryPoint.swift`):
/// - `lawfit_plugin_abi_fingerprint` (``FingerprintFunction``): `intptr_t f(char *buffer, intptr_t capacity)`
///   writes the ``fingerprint`` of the LawfitCore the plugin was compiled against (NUL-terminated)
///   and returns its length. It runs no code that depends on LawfitCore's types: the value is a
///   string literal compiled into the plugin (``writeFingerprint(into:capacity:)`` is emitted into it).
/// - `lawfit_register_plugin` (``EntryPoint``): `int32_t f(void *registry, char *error, intptr_t capacity)`
///   registers into the ``PluginRegistry`` behind the opaque pointer and returns a ``Status``
///   (implemented in one line with ``entryPoint(registry:error:errorCapacity:register:)``).
///
/// ``DynamicPluginLoader`` compares the plugin's fingerprint with its own before it calls the entry
/// point: a plugin and a host compiled from different LawfitCore interfaces (or by different
/// compilers) share no type layout or witness table they could rely on, so a mismatch is refused
/// instead of crashing on first use. See Docs/WritingPlugins.md.
public enum PluginABI {
    /// The name of the exported registration function.
    public static let entryPointSymbol = "lawfit_register_plugin"

    /// The name of the exported fingerprint function.
    public static let fingerprintSymbol = "lawfit_plugin_abi_fingerprint"

    /// The type of `lawfit_register_plugin`.
    public typealias EntryPoint = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, Int) -> Int32

    /// The type of `lawfit_plugin_abi_fingerprint`.
    public typealias FingerprintFunction = @convention(c) (UnsafeMutablePointer<CChar>?, Int) -> Int

    /// What the entry point returns.
    public enum Status: Int32, Sendable {
        case ok = 0
        /// The plugin's registration threw; the message is in the error buffer.
        case registrationFailed = 2
        /// The host passed a null registry.
        case badArguments = 3
    }

    /// The body of a plugin's `@_cdecl("lawfit_plugin_abi_fingerprint")` function: writes
    /// ``fingerprint`` (as compiled into the plugin) into `buffer`, NUL-terminated and cut to
    /// `capacity - 1` bytes, and returns its full length in bytes.
    @_alwaysEmitIntoClient
    public static func writeFingerprint(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
        let bytes = Array(fingerprint.utf8)
        if let buffer, capacity > 0 {
            let count = min(bytes.count, capacity - 1)
            for i in 0..<count { buffer[i] = CChar(bitPattern: bytes[i]) }
            buffer[count] = 0
        }
        return bytes.count
    }

    /// The body of a plugin's `@_cdecl("lawfit_register_plugin")` function: calls `register` with
    /// the registry behind `registry`, and writes any error message into `error` (NUL-terminated, at
    /// most `errorCapacity` bytes). The host calls it only after the fingerprints matched.
    public static func entryPoint(
        registry: UnsafeMutableRawPointer?, error: UnsafeMutablePointer<CChar>?, errorCapacity: Int,
        register: (PluginRegistry) throws -> Void
    ) -> Int32 {
        func fail(_ status: Status, _ message: String) -> Int32 {
            if let error, errorCapacity > 0 {
                let bytes = Array(message.utf8.prefix(errorCapacity - 1))
                for (i, byte) in bytes.enumerated() { error[i] = CChar(bitPattern: byte) }
                error[bytes.count] = 0
            }
            return status.rawValue
        }
        guard let registry else { return fail(.badArguments, "the host passed no registry") }
        do {
            try register(Unmanaged<PluginRegistry>.fromOpaque(registry).takeUnretainedValue())
            return Status.ok.rawValue
        } catch {
            return fail(.registrationFailed, "\(error)")
        }
    }
}
