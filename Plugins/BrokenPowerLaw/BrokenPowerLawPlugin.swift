import LawfitCore

/// Registers the broken neural scaling laws (Caballero et al. 2022) along compute:
/// `bnsl-1`, `bnsl-2`, `bnsl-3`.
public enum BrokenPowerLawPlugin {
    /// Registers every law of this family into `registry`.
    public static func register(into registry: PluginRegistry) throws {
        for breaks in 1...3 {
            try registry.register(law: BrokenNeuralScalingLaw(breaks: breaks))
        }
    }
}
