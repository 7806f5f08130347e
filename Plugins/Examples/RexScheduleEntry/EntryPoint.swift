import LawfitCore
import RexSchedule

// The run-time entry points of the REX example (see ``PluginABI``), in a target of their own so that
// the `RexSchedule` target can also be built into another program (or `BuiltinPlugins`) without
// bringing a second `lawfit_register_plugin` along. Product: `libRexSchedulePlugin.so`.

/// The fingerprint of the LawfitCore this plugin was compiled against, compared by the host first.
@_cdecl("lawfit_plugin_abi_fingerprint")
public func lawfitPluginABIFingerprint(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
    PluginABI.writeFingerprint(into: buffer, capacity: capacity)
}

/// Registers `rex` into the host's registry (called only when the fingerprints match).
@_cdecl("lawfit_register_plugin")
public func lawfitRegisterPlugin(_ registry: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    PluginABI.entryPoint(registry: registry, error: error, errorCapacity: errorCapacity) { registry in
        try RexSchedulePlugin.register(into: registry)
    }
}
