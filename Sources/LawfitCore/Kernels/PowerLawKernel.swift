import Foundation

/// The power-law kernel of the Functional Scaling Law (Li et al. 2025, arXiv 2509.19189, Sec. 4):
/// eigenvalues lambda_j = j^-beta (capacity beta > 1) and target power
/// lambda_j theta*_j^2 = scale * j^-(1 + s beta) (source s > 0), for modes j = 1 ... M.
///
/// Spec: `powerlaw(capacity=1.5, source=0.5, modes=400, scale=1)` (all four have these defaults).
public struct PowerLawKernel: SpectralKernel, Hashable {
    /// beta, the capacity exponent.
    public let capacity: Double
    /// s, the source exponent.
    public let source: Double
    public let modes: Int
    /// The amplitude of the target power (1 by default).
    public let scale: Double

    /// - Throws: ``LawfitError`` unless capacity > 1, source > 0, modes >= 1 and scale > 0.
    public init(capacity: Double = 1.5, source: Double = 0.5, modes: Int = 400, scale: Double = 1) throws {
        guard capacity.isFinite, capacity > 1 else {
            throw LawfitError.input("powerlaw: parameter 'capacity' must be finite and > 1, got \(SpecValue.format(capacity))")
        }
        try ScheduleCheck.positive(source, "source", in: "powerlaw")
        try ScheduleCheck.positive(scale, "scale", in: "powerlaw")
        try ScheduleCheck.step(modes, "modes", in: "powerlaw", within: 1...Int.max)
        self.capacity = capacity
        self.source = source
        self.modes = modes
        self.scale = scale
    }

    public func eigenvalue(_ j: Int) -> Double { pow(Double(j), -capacity) }

    public func targetPower(_ j: Int) -> Double { scale * pow(Double(j), -(1 + source * capacity)) }

    public var spec: String {
        SpecText.call("powerlaw", [
            ("capacity", SpecText.number(capacity)), ("source", SpecText.number(source)),
            ("modes", "\(modes)"), ("scale", SpecText.number(scale)),
        ])
    }
}
