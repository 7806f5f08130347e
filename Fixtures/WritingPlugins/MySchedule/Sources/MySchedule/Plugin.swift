import LawfitCore

/// Registers `knee(peak=..., knee=..., total=...)`.
public enum MySchedulePlugin {
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(schedule: ScheduleFactory(
            name: "knee", summary: "constant, then linear to 0 from knee * total",
            parameters: [
                SpecParameter("peak", "the constant rate"),
                SpecParameter("knee", "where the decay starts, as a fraction of total", default: .number(0.8)),
                SpecParameter("total", "the last step"),
            ]
        ) { arguments in
            try KneeSchedule(peak: arguments.number("peak"), knee: arguments.number("knee"), total: arguments.integer("total"))
        })
    }
}

/// The run-time entry point `lawfit --plugin` looks for.
@_cdecl("lawfit_register_plugin")
public func lawfitRegisterPlugin(
    _ registry: UnsafeMutableRawPointer?, _ abiVersion: Int32, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int
) -> Int32 {
    PluginABI.entryPoint(registry: registry, hostVersion: abiVersion, error: error, errorCapacity: errorCapacity) { registry in
        try MySchedulePlugin.register(into: registry)
    }
}
