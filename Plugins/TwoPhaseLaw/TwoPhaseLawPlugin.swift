import LawfitCore

/// Registers the two-phase compute laws (Yang 2025): piecewise and smooth, each with gamma fitted
/// or fixed to 1/6 or 1/7 (`two-phase`, `two-phase-gamma6`, `two-phase-gamma7`, `two-phase-smooth`,
/// `two-phase-smooth-gamma6`, `two-phase-smooth-gamma7`).
public enum TwoPhaseLawPlugin {
    /// Registers every law of this family into `registry`.
    public static func register(into registry: PluginRegistry) throws {
        for form in TwoPhaseLaw.Form.allCases {
            for gamma in TwoPhaseLaw.Gamma.allCases {
                try registry.register(law: TwoPhaseLaw(form: form, gamma: gamma))
            }
        }
    }
}
