import LawfitCore

/// The REX schedule (Chen, Wolfe & Kyrillidis 2022, "REX: Revisiting Budgeted Training with an
/// Improved Schedule", MLSys 2022, Eq. 1): with z = 1 - t/T,
/// eta_t = eta_0 * z / (1/2 + z/2), falling from eta_0 at t = 0 to 0 at t = T.
///
/// Spec: `rex(peak=3e-4, total=24000)`.
public struct RexSchedule: LearningRateSchedule, Hashable {
    /// eta_0, the rate at step 0.
    public let peak: Double
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless peak > 0 (finite) and total >= 1.
    public init(peak: Double, total: Int) throws {
        guard peak.isFinite, peak > 0 else { throw LawfitError.input("rex: parameter 'peak' must be finite and > 0, got \(SpecValue.format(peak))") }
        guard total >= 1 else { throw LawfitError.input("rex: parameter 'total' must be >= 1, got \(total)") }
        self.peak = peak
        self.totalSteps = total
    }

    public func rate(at step: Int) -> Double {
        let z = 1 - Double(min(max(step, 0), totalSteps)) / Double(totalSteps)
        return peak * z / (0.5 + 0.5 * z)
    }

    public var spec: String { "rex(peak=\(SpecValue.format(peak)), total=\(totalSteps))" }
}
