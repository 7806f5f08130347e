/// Inverse-square-root decay after a linear warmup (Vaswani et al. 2017, "Attention Is All You
/// Need", Sec. 5.3): eta_k = peak * sqrt(W / k) for W <= k <= T, so eta_W = peak.
///
/// Spec: `invsqrt(peak=1e-3, warmup=4000, total=100000)` (warmup >= 1 is the decay's time scale).
public struct InverseSqrtSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    public let ramp: WarmupRamp

    /// - Throws: ``LawfitError`` unless peak > 0 and 1 <= warmup <= total.
    public init(peak: Double, warmup: Int, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "invsqrt")
        ramp = try WarmupRamp(peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: "invsqrt", warmupRange: { 1...$0 })
    }

    public func rateAfterWarmup(_ step: Int) -> Double { peak * (Double(warmup) / Double(step)).squareRoot() }

    public var spec: String { rampSpec("invsqrt") }
}
