import LawfitCore

/// Registers the sparse-feature asymmetric double-descent laws: `sparse-feature` (free exponents)
/// and `sparse-feature-tied` (exponents tied to a sparsity exponent alpha).
public enum SparseFeatureLawPlugin {
    /// Registers every law of this family into `registry`.
    public static func register(into registry: PluginRegistry) throws {
        for exponents in SparseFeatureLaw.Exponents.allCases {
            try registry.register(law: SparseFeatureLaw(exponents: exponents))
        }
    }
}
