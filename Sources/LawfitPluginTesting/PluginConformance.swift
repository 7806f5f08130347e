import LawfitCore

/// Conformance checks for what a plugin registers: what `lawfit plugins --check LIB` runs, and what
/// plugin authors can run in their own tests:
///
/// ```swift
/// import LawfitPluginTesting
/// let registry = PluginRegistry()
/// try BuiltinSchedules.register(into: registry)
/// try MySchedulePlugin.register(into: registry)
/// let checks = PluginConformance.check(registry, origin: "built-in")
/// #expect(checks.allSatisfy(\.passed), "\(checks.filter { !$0.passed })")
/// ```
///
/// The checks (Docs/WritingPlugins.md lists them):
/// - schedules (``ScheduleConformance``): the factory's example parses, rates at sample steps are
///   finite and >= 0, the spec round-trips through the parser, non-finite parameter values are
///   rejected and other accepted values still give valid rates;
/// - laws (``LawConformance``): names, bounds, transforms and starts are consistent, the declared
///   inputs suffice to build an evaluator, predictions are finite over the parameter box, and an
///   analytic Jacobian agrees with central differences;
/// - kernels (``KernelConformance``): the example parses, the spectrum is finite and positive, and
///   the spec round-trips.
public enum PluginConformance {
    /// Checks every law, schedule and kernel of `registry` registered from `origin` (a plugin's path,
    /// or `built-in`); all of them when `origin` is nil. Schedule and kernel specs are parsed
    /// through `registry`, so a schedule may wrap a built-in one.
    public static func check(_ registry: PluginRegistry, origin: String? = nil) -> [ConformanceCheck] {
        func selected(_ name: String, _ kind: String) -> Bool {
            origin == nil || registry.origin(of: name, kind: kind) == origin
        }
        return registry.schedules.filter { selected($0.name, "schedule") }.flatMap { ScheduleConformance.check($0, registry: registry) }
            + registry.kernels.filter { selected($0.name, "kernel") }.flatMap { KernelConformance.check($0, registry: registry) }
            + registry.laws.filter { selected($0.name, "law") }.flatMap { LawConformance.check($0) }
    }
}
