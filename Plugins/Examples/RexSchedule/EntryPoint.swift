import LawfitCore

/// The run-time entry point (see ``PluginABI``): `lawfit --plugin .build/debug/libRexSchedulePlugin.so`
/// calls it to register `rex` into the host's registry.
@_cdecl("lawfit_register_plugin")
public func lawfitRegisterPlugin(
    _ registry: UnsafeMutableRawPointer?, _ abiVersion: Int32, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int
) -> Int32 {
    PluginABI.entryPoint(registry: registry, hostVersion: abiVersion, error: error, errorCapacity: errorCapacity) { registry in
        try RexSchedulePlugin.register(into: registry)
    }
}
