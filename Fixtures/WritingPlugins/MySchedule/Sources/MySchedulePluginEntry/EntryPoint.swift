import LawfitCore
import MySchedule

/// The fingerprint of the LawfitCore this plugin is compiled against: lawfit compares it with its own
/// before anything else, and refuses a plugin built against another Lawfit.
@_cdecl("lawfit_plugin_abi_fingerprint")
public func lawfitPluginABIFingerprint(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
    PluginABI.writeFingerprint(into: buffer, capacity: capacity)
}

/// The run-time entry point `lawfit --plugin` calls to register the schedule.
@_cdecl("lawfit_register_plugin")
public func lawfitRegisterPlugin(_ registry: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int) -> Int32 {
    PluginABI.entryPoint(registry: registry, error: error, errorCapacity: errorCapacity) { registry in
        try MySchedulePlugin.register(into: registry)
    }
}
