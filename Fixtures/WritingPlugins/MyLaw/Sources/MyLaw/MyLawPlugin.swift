import LawfitCore

/// Registers the law `token-power`.
public enum MyLawPlugin {
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(law: TokenPowerLaw())
    }
}
