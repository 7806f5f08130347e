import LawfitCore
import MyLaw

/// The fingerprint of the LawfitCore this plugin is compiled against (see the schedule tutorial).
@_cdecl("lawfit_plugin_abi_fingerprint")
public func lawfitPluginABIFingerprint(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
    PluginABI.writeFingerprint(into: buffer, capacity: capacity)
}

/// The run-time entry point `lawfit --plugin` calls to register the law.
@_cdecl("lawfit_register_plugin")
public func lawfitRegisterPlugin(_ registry: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    PluginABI.entryPoint(registry: registry, error: error, errorCapacity: errorCapacity) { registry in
        try MyLawPlugin.register(into: registry)
    }
}
