/// The spectrum of a kernel-regression problem: eigenvalues lambda_j and target power.
///
/// Mode j (1-based, `1...modes`) has eigenvalue lambda_j and target power lambda_j theta*_j^2,
/// the contribution of that mode to the initial risk. The power-law kernel of the Functional
/// Scaling Law (Li et al. 2025, arXiv 2509.19189, Sec. 4) has lambda_j = j^-beta and
/// lambda_j theta*_j^2 = j^-(1 + s beta). Used by FSL theory mode, the DMFT law and the simulators.
public protocol SpectralKernel: Sendable {
    /// Number of modes M.
    var modes: Int { get }
    /// lambda_j for j in 1...modes.
    func eigenvalue(_ j: Int) -> Double
    /// lambda_j theta*_j^2 for j in 1...modes.
    func targetPower(_ j: Int) -> Double
    /// A spec string, e.g. `powerlaw(capacity=1.5, source=0.5, modes=400)`, that parses back to this kernel.
    var spec: String { get }
}

extension SpectralKernel {
    /// All eigenvalues, lambda_1 ... lambda_M.
    public var eigenvalues: [Double] { (1...max(modes, 1)).prefix(modes).map(eigenvalue) }
    /// All target powers, lambda_j theta*_j^2 for j = 1 ... M.
    public var targetPowers: [Double] { (1...max(modes, 1)).prefix(modes).map(targetPower) }
}
