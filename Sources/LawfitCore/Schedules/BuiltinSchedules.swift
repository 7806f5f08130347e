/// The schedules and kernels the core ships, registered by name for spec strings.
public enum BuiltinSchedules {
    /// Registers every built-in schedule and kernel factory into `registry`.
    public static func register(into registry: PluginRegistry) throws {}
}
