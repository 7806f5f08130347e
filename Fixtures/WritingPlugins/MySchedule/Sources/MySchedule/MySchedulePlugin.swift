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
            ],
            example: "knee(peak=3e-4, total=24000)"
        ) { arguments in
            try KneeSchedule(peak: arguments.number("peak"), knee: arguments.number("knee"), total: arguments.integer("total"))
        })
    }
}
