import LawfitCore

/// Registers this plugin's laws.
public enum DMFTLawPlugin {
    /// Registers every law of this family into `registry`.
    public static func register(into registry: PluginRegistry) throws {}
}
