/// A law that knows where it is inaccurate (an approximation biased in part of its input space) and
/// says so after a fit: ``LawFitter`` appends these warnings to the fit's.
public protocol FitCaveatLaw: ScalingLaw {
    /// Warnings about `runs` at the fitted `parameters` (natural units, ``ParameterSpace`` order), e.g.
    /// how many points sit where the law is biased and by how much; empty when none apply.
    func fitWarnings(parameters: [Double], runs: [Run]) -> [String]
}
