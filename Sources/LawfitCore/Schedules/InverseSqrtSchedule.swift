/// Inverse-square-root decay after a linear warmup (Vaswani et al. 2017, "Attention Is All You
/// Need", Sec. 5.3): eta_k = peak * sqrt(W / k) for W <= k <= T, so eta_W = peak.
///
/// Spec: `invsqrt(peak=1e-3, warmup=4000, total=100000)` (warmup >= 1 is the decay's time scale).
public struct InverseSqrtSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// W, the number of warmup steps.
    public let warmup: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let warmupFrom: Double
    /// The warmup's shape (linear by default).
    public let warmupShape: WarmupShape
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless peak > 0 and 1 <= warmup <= total.
    public init(peak: Double, warmup: Int, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "invsqrt")
        try ScheduleCheck.step(total, "total", in: "invsqrt", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "invsqrt", within: 1...total)
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "invsqrt")
        self.peak = peak
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double { peak * (Double(warmup) / Double(step)).squareRoot() }
    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("invsqrt", [("peak", SpecText.number(peak)), ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)")])
    }
}
