import LawfitCore

/// Registers the DMFT random-feature laws (LAWS.md §3, Docs/laws/dmft.md).
public enum DMFTLawPlugin {
    /// Registers `dmft` (exact solver) and `dmft-surrogate` (asymptotic surrogate), both with
    /// t = tau D, N = nu params, P = infinity; `dmft-unique` (exact, P = pi U, N and U optional: infinite
    /// where absent); `dmft-static` (t -> infinity, the double descent in nu N / pi U); and `dmft-sgd`
    /// (loss curves of one-pass SGD under the run's schedule, ``DMFTScheduleLaw``). Other input
    /// maps: ``DMFTLaw/init(solver:time:samples:)``.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(law: DMFTLaw(solver: .exact))
        try registry.register(law: DMFTLaw(solver: .surrogate))
        try registry.register(law: DMFTLaw(solver: .exact, samples: .uniqueTokens))
        try registry.register(law: DMFTStaticLaw())
        try registry.register(law: DMFTScheduleLaw())
    }
}
