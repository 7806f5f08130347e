/// A constant rate after an optional linear warmup: eta_k = peak for k >= W.
///
/// Spec: `constant(peak=3e-4, warmup=2160, total=24000)` (warmup defaults to 0).
public struct ConstantSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// W, the number of warmup steps.
    public let warmup: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let warmupFrom: Double
    /// The warmup's shape (linear by default).
    public let warmupShape: WarmupShape
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` if `peak` is not positive or `warmup` is outside `0...total`.
    public init(peak: Double, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "constant")
        try ScheduleCheck.step(total, "total", in: "constant", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "constant", within: 0...total)
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "constant")
        self.peak = peak
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double { peak }
    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("constant", [("peak", SpecText.number(peak)), ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)")])
    }
}
