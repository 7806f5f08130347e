/// A constant rate after an optional linear warmup: eta_k = peak for k >= W.
///
/// Spec: `constant(peak=3e-4, warmup=2160, total=24000)` (warmup defaults to 0).
public struct ConstantSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    public let ramp: WarmupRamp

    /// - Throws: ``LawfitError`` if `peak` is not positive or `warmup` is outside `0...total`.
    public init(peak: Double, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "constant")
        ramp = try WarmupRamp(peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: "constant")
    }

    public func rateAfterWarmup(_ step: Int) -> Double { peak }

    public var spec: String { rampSpec("constant") }
}
