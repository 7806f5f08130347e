/// Two-stage: `peak` until step `switch`, then `low` from that step on (after a linear warmup):
/// eta_k = peak for W <= k < switch, eta_k = low for switch <= k <= T.
///
/// Spec: `twostage(peak=3e-4, low=9e-5, switch=8000, warmup=2160, total=16000)`: with these values it
/// is the `wsdcon_9` schedule of Luo et al. 2025 (Multi-Power Law).
public struct TwoStageSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    public let ramp: WarmupRamp
    /// The rate from step `switchStep` on.
    public let low: Double
    /// The first step at the `low` rate.
    public let switchStep: Int

    /// - Throws: ``LawfitError`` unless peak, low > 0 and 0 <= warmup <= switch <= total.
    public init(peak: Double, low: Double, switchStep: Int, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "twostage")
        try ScheduleCheck.positive(low, "low", in: "twostage")
        ramp = try WarmupRamp(peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: "twostage", thenChecking: {
            try ScheduleCheck.step(switchStep, "switch", in: "twostage", within: max(warmup, 1)...total)
        })
        self.low = low
        self.switchStep = switchStep
    }

    public func rateAfterWarmup(_ step: Int) -> Double { step < switchStep ? peak : low }

    public var spec: String {
        rampSpec("twostage", afterPeak: [("low", SpecText.number(low)), ("switch", "\(switchStep)")])
    }
}
