/// A constant rate after an optional linear warmup: eta_k = peak for k >= W.
///
/// Spec: `constant(peak=3e-4, warmup=2160, total=24000)` (warmup defaults to 0).
public struct ConstantSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// W, the number of linear warmup steps.
    public let warmup: Int
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` if `peak` is not positive or `warmup` is outside `0...total`.
    public init(peak: Double, warmup: Int = 0, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "constant")
        try ScheduleCheck.step(total, "total", in: "constant", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "constant", within: 0...total)
        self.peak = peak
        self.warmup = warmup
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double { peak }
    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("constant", [("peak", SpecText.number(peak)), ("warmup", "\(warmup)"), ("total", "\(totalSteps)")])
    }
}
