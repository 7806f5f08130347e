import BrokenPowerLaw
import ChinchillaLaw
import DMFTLaw
import FunctionalScalingLaw
import LawfitCore
import ScheduleLaws
import SparseFeatureLaw
import TwoPhaseLaw

/// Registers everything that ships with Lawfit: the core's schedules and kernels and every law plugin.
public enum BuiltinPlugins {
    /// A registry holding all built-in schedules, kernels and laws.
    public static func makeRegistry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try register(into: registry)
        return registry
    }

    /// Registers all built-in schedules, kernels and laws into `registry`.
    public static func register(into registry: PluginRegistry) throws {
        try BuiltinSchedules.register(into: registry)
        try ChinchillaLawPlugin.register(into: registry)
        try FunctionalScalingLawPlugin.register(into: registry)
        try ScheduleLawsPlugin.register(into: registry)
        try DMFTLawPlugin.register(into: registry)
        try SparseFeatureLawPlugin.register(into: registry)
        try TwoPhaseLawPlugin.register(into: registry)
        try BrokenPowerLawPlugin.register(into: registry)
    }
}
