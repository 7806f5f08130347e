/// The C-level contract between Lawfit and a run-time plugin (a dynamic library).
///
/// A plugin exports one C function, `lawfit_register_plugin`, of type ``EntryPoint``:
/// `int32_t lawfit_register_plugin(void *registry, int32_t abi_version, char *error, intptr_t error_capacity)`.
/// The host passes an opaque pointer to a fresh ``PluginRegistry``, its ``version`` and a buffer for
/// an error message; the plugin checks the version, registers into the registry and returns a
/// ``Status``. Plugins implement it in one line with ``entryPoint(registry:hostVersion:error:errorCapacity:register:)``.
/// ``DynamicPluginLoader`` is the host side. See Docs/WritingPlugins.md.
public enum PluginABI {
    /// Bumped whenever a change to LawfitCore's public types would break plugins built against an
    /// older LawfitCore. A plugin refuses to register under a host with a different version.
    public static let version: Int32 = 1

    /// The name of the exported entry point.
    public static let entryPointSymbol = "lawfit_register_plugin"

    /// The type of the exported entry point.
    public typealias EntryPoint = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    /// What the entry point returns.
    public enum Status: Int32, Sendable {
        case ok = 0
        /// The plugin was built against a different ``PluginABI/version``.
        case versionMismatch = 1
        /// The plugin's registration threw; the message is in the error buffer.
        case registrationFailed = 2
        /// The host passed a null registry.
        case badArguments = 3
    }

    /// The body of a plugin's `@_cdecl("lawfit_register_plugin")` function: checks `hostVersion`
    /// against this build's ``version``, calls `register` with the registry behind `registry`, and
    /// writes any error message into `error` (NUL-terminated, at most `errorCapacity` bytes).
    public static func entryPoint(
        registry: UnsafeMutableRawPointer?, hostVersion: Int32, error: UnsafeMutablePointer<CChar>?, errorCapacity: Int,
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
        guard hostVersion == version else {
            return fail(.versionMismatch, "the plugin was built for Lawfit plugin ABI version \(version)")
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
