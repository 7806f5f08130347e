import LawfitCore

/// The Chinchilla family of (N, D) laws: Chinchilla (Hoffmann et al. 2022), Kaplan et al. 2020 and
/// the data-constrained law of Muennighoff et al. 2023.
public enum ChinchillaLawPlugin {
    /// Registers `chinchilla`, `kaplan` and `data-constrained` into `registry`.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(law: ChinchillaLaw())
        try registry.register(law: KaplanLaw())
        try registry.register(law: DataConstrainedLaw())
    }
}
