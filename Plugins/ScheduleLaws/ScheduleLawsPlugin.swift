import LawfitCore

/// The schedule-aware loss-curve laws that compete with FSL: the Multi-Power Law (`multi-power`,
/// Luo et al. 2025) and the LR-annealing law (`lr-annealing`, Tissue et al. 2024).
public enum ScheduleLawsPlugin {
    /// Registers `multi-power` and `lr-annealing` into `registry`.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(law: MultiPowerLaw())
        try registry.register(law: LRAnnealingLaw())
    }
}
