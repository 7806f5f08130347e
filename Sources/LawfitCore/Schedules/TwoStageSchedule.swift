/// Two-stage: `peak` until step `switch`, then `low` from that step on (after a linear warmup):
/// eta_k = peak for W <= k < switch, eta_k = low for switch <= k <= T.
///
/// Spec: `twostage(peak=3e-4, low=9e-5, switch=8000, warmup=2160, total=16000)`: with these values it
/// is the `wsdcon_9` schedule of Luo et al. 2025 (Multi-Power Law).
public struct TwoStageSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// The rate from step `switchStep` on.
    public let low: Double
    /// The first step at the `low` rate.
    public let switchStep: Int
    /// W, the number of warmup steps.
    public let warmup: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let warmupFrom: Double
    /// The warmup's shape (linear by default).
    public let warmupShape: WarmupShape
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless peak, low > 0 and 0 <= warmup <= switch <= total.
    public init(peak: Double, low: Double, switchStep: Int, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "twostage")
        try ScheduleCheck.positive(low, "low", in: "twostage")
        try ScheduleCheck.step(total, "total", in: "twostage", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "twostage", within: 0...total)
        try ScheduleCheck.step(switchStep, "switch", in: "twostage", within: max(warmup, 1)...total)
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "twostage")
        self.peak = peak
        self.low = low
        self.switchStep = switchStep
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double { step < switchStep ? peak : low }
    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("twostage", [
            ("peak", SpecText.number(peak)), ("low", SpecText.number(low)), ("switch", "\(switchStep)"),
            ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)"),
        ])
    }
}
