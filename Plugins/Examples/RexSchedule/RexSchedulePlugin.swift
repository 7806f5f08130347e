import LawfitCore

/// Registers the REX schedule: the compiled way to add a schedule to Lawfit.
public enum RexSchedulePlugin {
    /// The spec-string factory for `rex(peak=..., total=...)`.
    public static let factory = ScheduleFactory(
        name: "rex", summary: "REX: eta0 * z / (1/2 + z/2), z = 1 - t/T (Chen et al. 2022)",
        parameters: [SpecParameter("peak", "eta0, the rate at step 0"), SpecParameter("total", "T, the last step")],
        example: "rex(peak=3e-4, total=24000)"
    ) { arguments in
        try RexSchedule(peak: arguments.number("peak"), total: arguments.integer("total"))
    }

    /// Registers `rex` into `registry`. - Throws: ``LawfitError`` if the name is taken.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(schedule: factory)
    }
}
