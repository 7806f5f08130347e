import LawfitCore

/// Registers the DMFT random-feature laws (LAWS.md §3, Docs/laws/dmft.md).
public enum DMFTLawPlugin {
    /// Registers `dmft` (exact solver) and `dmft-surrogate` (asymptotic surrogate), both with
    /// t = tau D, N = nu params, P = infinity. Other input maps: ``DMFTLaw/init(solver:time:samples:)``.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(law: DMFTLaw(solver: .exact))
        try registry.register(law: DMFTLaw(solver: .surrogate))
    }
}
