import LawfitCore

/// The Functional Scaling Law (Li et al., NeurIPS 2025, arXiv 2509.19189): `fsl`, the 7-parameter
/// LLM surrogate, and `fsl-theory`, the theory functional on a power-law kernel fitted as it stands.
/// ``FSLTheory`` gives theory-mode risk curves from any ``SpectralKernel``.
public enum FunctionalScalingLawPlugin {
    /// Registers `fsl`, `fsl-theory` (continuum kernel), `fsl-theory-discrete` (the exact SGD kernel)
    /// their model-size forms `fsl-theory-scaling` and `fsl-theory-scaling-discrete`, and the schedule
    /// theorems' closed form `fsl-theorem` into `registry`. The theory laws take settings in their
    /// names (`fsl-theory-scaling(batch=8, kernel=discrete)`, ``FSLTheorySettings``).
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(law: FSLSurrogateLaw())
        try registry.register(law: FSLTheoryLaw())
        try registry.register(law: FSLTheoryLaw(form: .discrete))
        try registry.register(law: FSLTheoryScalingLaw())
        try registry.register(law: FSLTheoryScalingLaw(form: .discrete))
        try registry.register(law: FSLTheoremLaw())
    }
}
